/** Cached statement templates bind to exactly what compiling each query would give. */
import { describe, expect, it } from "vitest";
import { PostgresDialect, SqliteDialect } from "../../src/index.ts";
import { getModelMetadata } from "../../src/model/metadata.ts";
import { findByKeyStatement, insertStatement, updateByKeyStatement } from "../../src/model/statement-cache.ts";
import { decoratorMode } from "../support/mode.ts";
import { User } from "../support/models.ts";

const metadata = getModelMetadata(User);
const attr = (p: string) => metadata.attribute(p);

describe(`statement templates (${decoratorMode})`, () => {
  for (const dialect of [new SqliteDialect(), new PostgresDialect()]) {
    it(`${dialect.name}: find, insert and update by key match compile()`, () => {
      const find = (id: number) => dialect.compile({ kind: "select", table: "users", columns: [], where: { kind: "compare", column: "id", op: "=", value: id, type: "integer" }, limit: 1 });
      expect(findByKeyStatement(metadata, dialect, [7])).toEqual(find(7));
      expect(findByKeyStatement(metadata, dialect, [8])).toEqual(find(8));
      expect(find(7).singleRow).toBe(true);

      const present = [attr("email"), attr("age"), attr("active")];
      const at = new Date("2024-05-06T07:08:09.000Z");
      expect(insertStatement(metadata, dialect, present, ["a@b.c", 3, true], true)).toEqual(
        dialect.compile({
          kind: "insert",
          table: "users",
          columns: ["email", "age", "active"],
          types: ["text", "integer", "boolean"],
          rows: [["a@b.c", 3, true]],
          // The key and what the insert left to the database (name, created_at); email, age, active come back as sent.
          returning: ["id", "name", "created_at"],
        }),
      );
      expect(updateByKeyStatement(metadata, dialect, [attr("createdAt")], { values: [at], key: [5] })).toEqual(
        dialect.compile({
          kind: "update",
          table: "users",
          set: [{ column: "created_at", value: at, type: "datetime" }],
          where: { kind: "compare", column: "id", op: "=", value: 5, type: "integer" },
        }),
      );
    });

    it(`${dialect.name}: a value the column cannot take is named as compile() names it`, () => {
      expect(() => updateByKeyStatement(metadata, dialect, [attr("age")], { values: ["old"], key: [1] })).toThrow(/^users is invalid: age: expected a number/);
    });
  }
});
