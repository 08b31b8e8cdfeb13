/**
 * An app that declares no relation at all: the relation machinery is then not
 * installed (see src/model/relations/registry.ts), and every relation method
 * must still answer with the same clear error. This file must never call a
 * relation decorator (nor import a module that does): vitest isolates each
 * file, so nothing installs the machinery here.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ActiveRecord, ArgumentError, column, ConfigurationError, table } from "../../src/index.ts";
import { openLibsql, type TestDatabase } from "../support/libsql.ts";

@table("notes")
class Note extends ActiveRecord {
  @column.id() id!: number;
  @column.text() body!: string;
}

describe("a model when no relation is declared anywhere", () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = openLibsql("memory");
    Note.configure(db.backend);
    await Note.createTable();
  });
  afterEach(async () => {
    Note.unconfigure();
    await db.close();
  });

  it("names the unknown relation in with(), load(), whereHas(), whereDoesntHave() and related()", async () => {
    const note = await Note.create({ body: "hi" });
    const message = 'Note has no relation "posts"';
    expect(() => Note.with("posts" as never)).toThrow(new ConfigurationError(message));
    await expect(note.load("posts" as never)).rejects.toThrow(message);
    expect(() => Note.whereHas("posts" as never)).toThrow(message);
    expect(() => Note.whereDoesntHave("posts" as never)).toThrow(ConfigurationError);
    expect(() => note.related("posts" as never)).toThrow(message);
  });

  it("still checks relation paths, even for an empty result, and serialises attributes only", async () => {
    expect(() => Note.with("posts..x" as never)).toThrow('invalid relation path "posts..x"');
    // Checked before any SQL, even where no record would need it.
    expect(() => Note.with("posts" as never)).toThrow(ConfigurationError);
    const note = await Note.create({ body: "hi" });
    expect(note.toJSON()).toEqual({ id: note.id, body: "hi" });
  });
  it("names the unknown relation in join(), leftJoin(), \"relation.attribute\" names and withCount() and its kin, after the same argument checks", async () => {
    const message = 'Note has no relation "posts"';
    const q = Note.query();
    expect(() => q.join("posts" as never)).toThrow(new ConfigurationError(message));
    expect(() => q.leftJoin("posts" as never)).toThrow(new ConfigurationError(message));
    expect(() => q.join(42 as never)).toThrow(new ArgumentError("Note.join() takes a relation name, got number 42"));
    expect(() => q.leftJoin("posts.comments" as never)).toThrow(ArgumentError);
    expect(() => q.where({ "posts.title": "x" } as never)).toThrow(new ConfigurationError(message));
    expect(() => q.whereNot({ "posts.title": "x" } as never)).toThrow(new ConfigurationError(message));
    expect(() => q.where({ "posts.title.x": "x" } as never)).toThrow(new ArgumentError('Note: "posts.title.x" is not "relation.attribute" (one relation deep)'));
    expect(() => q.orderBy("posts.title" as never, "desc")).toThrow(new ConfigurationError(message));
    expect(() => q.orderBy("posts.title" as never, "sideways" as never)).toThrow(ArgumentError);
    expect(() => q.withCount("posts" as never)).toThrow(new ConfigurationError(message));
    expect(() => q.withExists("posts" as never)).toThrow(new ConfigurationError(message));
    expect(() => q.withMax("posts" as never, "id" as never)).toThrow(new ConfigurationError(message));
    expect(() => q.withSum("posts" as never, undefined as never)).toThrow(new ArgumentError('Note.withSum("posts", attribute): name the attribute'));
    expect(() => q.withCount(7 as never)).toThrow(new ArgumentError("Note.withCount() takes a relation name, got number"));
    // Queries that name no relation run as before.
    await Note.create({ body: "b" });
    expect((await q.orderBy("body", "desc").where({ body: "b" }).all()).map((n) => n.body)).toEqual(["b"]);
  });
});
