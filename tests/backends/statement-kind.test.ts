/**
 * The compiler says what each statement does (`kind`, `returning`), so that
 * backends need not read it back out of the SQL text; only raw SQL, which the
 * compiler does not understand, is read by its first word.
 */
import { describe, expect, it } from "vitest";
import { PostgresDialect, sql, SqliteDialect, TransactionError, type CompiledQuery, type Query } from "../../src/index.ts";
import { bindTemplate, Slot } from "../../src/dialect/compiler.ts";
import { hasReturning, isWrite, returnsRows, statementKind } from "../../src/backend/statement-kind.ts";
import { BatchTransaction } from "../../src/backend/d1/index.ts";
import { decoratorMode } from "../support/mode.ts";

const dialects = [new SqliteDialect(), new PostgresDialect()];

describe(`statement kinds (${decoratorMode})`, () => {
  it("the compiler marks every statement it compiles, and raw SQL not at all", () => {
    const cases: [Query, Partial<CompiledQuery>][] = [
      [{ kind: "select", table: "t", columns: [] }, { kind: "read" }],
      [{ kind: "tableExists", table: "t" }, { kind: "read" }],
      [{ kind: "insert", table: "t", columns: ["a"], types: ["text"], rows: [["x"]] }, { kind: "insert" }],
      [{ kind: "insert", table: "t", columns: ["a"], types: ["text"], rows: [["x"]], returning: ["id"] }, { kind: "insert", returning: true }],
      [{ kind: "update", table: "t", set: [{ column: "a", value: "x", type: "text" }], returning: ["id"] }, { kind: "update", returning: true }],
      [{ kind: "delete", table: "t" }, { kind: "delete" }],
      [{ kind: "dropTable", table: "t", ifExists: true }, { kind: "schema" }],
      [{ kind: "dropIndex", name: "i", ifExists: true }, { kind: "schema" }],
    ];
    for (const dialect of dialects) {
      for (const [query, hints] of cases) {
        const compiled = dialect.compile(query);
        expect({ kind: compiled.kind, returning: compiled.returning }, `${dialect.name} ${query.kind}`).toEqual({ kind: hints.kind, returning: hints.returning });
      }
      const raw = dialect.compile(sql`DELETE FROM t RETURNING id`);
      expect(raw.kind).toBeUndefined();
      expect(raw.returning).toBeUndefined();
    }
  });

  it("a template bound per call keeps the hints", () => {
    for (const dialect of dialects) {
      const template = dialect.compileTemplate({ kind: "insert", table: "t", columns: ["a"], types: ["text"], rows: [[new Slot(0)]], returning: ["id"] });
      expect(bindTemplate(template, dialect.values, ["x"])).toMatchObject({ kind: "insert", returning: true, params: ["x"] });
    }
  });

  it("backends take the hint over the text, and read raw SQL by its first word", () => {
    // A compiled insert into a column named "returning" is not a statement with RETURNING.
    const compiled: CompiledQuery = { sql: 'INSERT INTO "t" ("returning") VALUES (?)', params: [1], kind: "insert" };
    expect([statementKind(compiled), isWrite(compiled), hasReturning(compiled), returnsRows(compiled)]).toEqual(["insert", true, false, false]);
    const raw = (text: string): CompiledQuery => ({ sql: text, params: [] });
    expect(statementKind(raw("  select 1"))).toBe("read");
    expect(statementKind(raw("WITH x AS (SELECT 1) SELECT * FROM x"))).toBe("read");
    expect(statementKind(raw("REPLACE INTO t VALUES (1)"))).toBe("insert");
    expect(statementKind(raw("constructor"))).toBeUndefined();
    expect(isWrite(raw("update t set a = 1"))).toBe(true);
    expect(returnsRows(raw("DELETE FROM t RETURNING id"))).toBe(true);
    expect(returnsRows(raw("DELETE FROM t"))).toBe(false);
  });

  it("a D1 transaction queues a compiled write whatever its text, and refuses a raw read at once", async () => {
    const sent: CompiledQuery[][] = [];
    const tx = new BatchTransaction(async (queries) => {
      sent.push([...queries]);
      return queries.map(() => ({ rows: [], affectedRows: 1, duration: 0 }));
    });
    await tx.execute({ sql: 'INSERT INTO "t" ("returning") VALUES (?)', params: [1], kind: "insert" });
    await expect(tx.execute({ sql: "SELECT 1", params: [] })).rejects.toBeInstanceOf(TransactionError);
    await expect(tx.execute({ sql: 'INSERT INTO "t" ("a") VALUES (?) RETURNING "id"', params: [1], kind: "insert", returning: true })).rejects.toThrow(/returns rows/);
    await tx.commit();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toHaveLength(1);
  });
});
