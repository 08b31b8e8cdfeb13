/**
 * An app that declares no relation at all: the relation machinery is then not
 * installed (see src/model/relations/registry.ts), and every relation method
 * must still answer with the same clear error. This file must never call a
 * relation decorator (nor import a module that does): vitest isolates each
 * file, so nothing installs the machinery here.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ActiveRecord, column, ConfigurationError, table } from "../../src/index.ts";
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
});
