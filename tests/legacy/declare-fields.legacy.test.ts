/**
 * Legacy decorators only: `declare` fields emit no class field at all, so there
 * is nothing to overwrite. (Under standard decorators a decorator on a
 * `declare` field is a compile error; use `name!: string` there.)
 */
import { describe, expect, it } from "vitest";
import { ActiveRecord, column, table } from "../../src/index.ts";
import { openLibsql } from "../support/libsql.ts";

@table("notes")
class Note extends ActiveRecord {
  @column.id() declare id: number;
  @column.text() declare body: string;
}

describe("declare fields (legacy decorators)", () => {
  it("work like ordinary fields", async () => {
    const db = openLibsql("memory");
    Note.configure(db.backend);
    await Note.createTable();
    const note = await Note.create({ body: "hi" });
    expect((await Note.findOrFail(note.id)).body).toBe("hi");
    expect(Object.keys(new Note())).toEqual([]);
    await db.close();
  });
});
