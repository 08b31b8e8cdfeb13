/** The same model code, compiled by each dialect: SQL side by side. */
import { describe, expect, it } from "vitest";
import { and, between, ConfigurationError, fn, gte, isNotNull, like, not, notOneOf, oneOf, or, PostgresDialect, sql, SqliteDialect, ValidationError, type Query } from "../../src/index.ts";
import type { ColumnType } from "../../src/schema/column.ts";
import { decoratorMode } from "../support/mode.ts";
import { Sample, User } from "../support/models.ts";

const sqlite = new SqliteDialect();
const postgres = new PostgresDialect();
const both = (query: Query) => ({ sqlite: sqlite.compile(query), postgres: postgres.compile(query) });

describe(`SQL per dialect (${decoratorMode})`, () => {
  it("where operators, order, limit and offset", () => {
    const q = User.where({ age: gte(30), name: like("a%") })
      .where(or({ active: true }, { email: "x@y.z" }))
      .orderBy("age", "desc")
      .limit(50)
      .offset(10)
      .toQuery();
    expect(both(q)).toEqual({
      sqlite: {
        sql: `SELECT * FROM "users" WHERE ("age" >= ? AND "name" LIKE ? ESCAPE '\\') AND ("active" = ? OR "email" = ?) ORDER BY "age" DESC LIMIT ? OFFSET ?`,
        params: [30, "a%", 1, "x@y.z", 50, 10],
        kind: "read",
      },
      postgres: {
        sql: `SELECT * FROM "users" WHERE ("age" >= $1 AND "name" LIKE $2 ESCAPE '\\') AND ("active" = $3 OR "email" = $4) ORDER BY "age" DESC LIMIT $5 OFFSET $6`,
        params: [30, "a%", true, "x@y.z", 50, 10],
        kind: "read",
      },
    });
  });

  it("null checks, between, not and offsets without a limit", () => {
    const q = User.where({ name: null, age: between(1, 9) }).where(not({ createdAt: isNotNull() })).offset(5).toQuery();
    expect(both(q)).toEqual({
      sqlite: {
        sql: 'SELECT * FROM "users" WHERE ("name" IS NULL AND "age" BETWEEN ? AND ?) AND NOT ("created_at" IS NOT NULL) LIMIT -1 OFFSET ?',
        params: [1, 9, 5],
        kind: "read",
      },
      postgres: {
        sql: 'SELECT * FROM "users" WHERE ("name" IS NULL AND "age" BETWEEN $1 AND $2) AND NOT ("created_at" IS NOT NULL) LIMIT ALL OFFSET $3',
        params: [1, 9, 5],
        kind: "read",
      },
    });
  });

  it("an IN list is one parameter: a JSON list on SQLite, a typed array on PostgreSQL, whatever its length", () => {
    const inList = (values: unknown[], negate = false) => User.query().whereCondition({ kind: "in", column: "email", values, negate, type: "text" }).toQuery();
    expect(both(inList(['x@y.z', 'q"r\\s', "é"]))).toEqual({
      sqlite: { sql: 'SELECT * FROM "users" WHERE "email" IN (SELECT value FROM json_each(?))', params: ['["x@y.z","q\\"r\\\\s","é"]'], kind: "read" },
      postgres: { sql: 'SELECT * FROM "users" WHERE "email" = ANY($1::text[])', params: ['{"x@y.z","q\\"r\\\\s","é"}'], kind: "read" },
    });
    expect(both(inList([], true))).toEqual({
      sqlite: { sql: 'SELECT * FROM "users" WHERE "email" NOT IN (SELECT value FROM json_each(?))', params: ["[]"], kind: "read" },
      postgres: { sql: 'SELECT * FROM "users" WHERE "email" <> ALL($1::text[])', params: ["{}"], kind: "read" },
    });
    // One statement text for every length: no parameter limit, no prepared statement per length.
    const long = Array.from({ length: 70_000 }, (_, i) => `u${i}@x.y`);
    expect(both(inList(long)).sqlite.sql).toBe(both(inList(["a"])).sqlite.sql);
    expect(both(inList(long)).postgres.params).toHaveLength(1);
  });

  it("each column type's list, converted as a single value would be", () => {
    const list = (column: string, type: ColumnType, values: unknown[]) => Sample.query().whereCondition({ kind: "in", column, values, negate: false, type }).toQuery();
    const at = new Date("2024-05-06T07:08:09.010Z");
    const bc = new Date(Date.UTC(-43, 2, 15, 12)); // 44 BC
    const cases: [string, ColumnType, unknown[], string, string, string][] = [
      ["int", "integer", [1, 2n, null], "[1,2,null]", '{"1","2",NULL}', "integer[]"],
      ["big", "bigint", [2n ** 63n - 1n, -(2n ** 63n)], "[9223372036854775807,-9223372036854775808]", '{"9223372036854775807","-9223372036854775808"}', "bigint[]"],
      ["flag", "boolean", [true, false], "[1,0]", '{"t","f"}', "boolean[]"],
      ["day", "date", [at, "0001-01-01"], '["2024-05-06","0001-01-01"]', '{"2024-05-06","0001-01-01"}', "date[]"],
      ["at", "datetime", [at, bc], '["2024-05-06T07:08:09.010Z","-000043-03-15T12:00:00.000Z"]', '{"2024-05-06T07:08:09.010Z","0044-03-15T12:00:00.000Z BC"}', "timestamptz[]"],
      ["price", "decimal", ["1.50", 2], '["1.50","2"]', '{"1.50","2"}', "numeric[]"],
      ["ref", "uuid", ["A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11"], '["a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"]', '{"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"}', "uuid[]"],
      ["data", "json", [{ a: 1 }], '["{\\"a\\":1}"]', '{"{\\"a\\":1}"}', "jsonb[]"],
    ];
    for (const [column, type, values, json, array, cast] of cases) {
      const { sqlite: s, postgres: p } = both(list(column, type, values));
      expect([s.sql, s.params], type).toEqual([`SELECT * FROM "samples" WHERE "${column}" IN (SELECT value FROM json_each(?))`, [json]]);
      expect([p.sql, p.params], type).toEqual([`SELECT * FROM "samples" WHERE "${column}" = ANY($1::${cast})`, [array]]);
    }
    // Bytes travel as hex: unhex() on SQLite, bytea's \x form on PostgreSQL.
    const { sqlite: s, postgres: p } = both(list("bytes", "blob", [new Uint8Array([0, 255])]));
    expect([s.sql, s.params]).toEqual(['SELECT * FROM "samples" WHERE "bytes" IN (SELECT unhex(value) FROM json_each(?))', ['["00ff"]']]);
    expect([p.sql, p.params]).toEqual(['SELECT * FROM "samples" WHERE "bytes" = ANY($1::bytea[])', ['{"\\\\x00ff"}']]);
  });

  it("SQLite binds REAL lists value by value (its JSON parser rounds some doubles), padded to a power of two", () => {
    const reals = (n: number) => Sample.query().whereCondition({ kind: "in", column: "ratio", values: Array.from({ length: n }, (_, i) => i + 0.5), negate: false, type: "real" }).toQuery();
    expect(sqlite.compile(reals(3))).toEqual({ sql: 'SELECT * FROM "samples" WHERE "ratio" IN (?, ?, ?, ?)', params: [0.5, 1.5, 2.5, 2.5], kind: "read" });
    // Lengths 5 to 8 share one statement.
    expect(new Set([5, 6, 7, 8].map((n) => sqlite.compile(reals(n)).sql)).size).toBe(1);
    expect(postgres.compile(reals(3))).toEqual({ sql: 'SELECT * FROM "samples" WHERE "ratio" = ANY($1::double precision[])', params: ['{"0.5","1.5","2.5"}'], kind: "read" });
  });

  it("values converted per column type", () => {
    const at = new Date("2024-05-06T07:08:09.010Z");
    const q = Sample.where({ at, day: at, flag: false, big: 9007199254740993n, data: { a: 1 } }).toQuery();
    const { sqlite: s, postgres: p } = both(q);
    expect(s.params).toEqual(["2024-05-06T07:08:09.010Z", "2024-05-06", 0, 9007199254740993n, '{"a":1}']);
    expect(p.params).toEqual(["2024-05-06T07:08:09.010Z", "2024-05-06", false, "9007199254740993", '{"a":1}']);
  });

  it("grouped aggregates with raw having", () => {
    const q = User.query().select("age", fn.count().as("n"), fn.avg("age")).groupBy("age").having(sql`COUNT(*) > ${2}`).toQuery();
    expect(both(q)).toEqual({
      sqlite: { sql: 'SELECT "age", COUNT(*) AS "n", AVG("age") AS "avg_age" FROM "users" GROUP BY "age" HAVING (COUNT(*) > ?)', params: [2], kind: "read" },
      postgres: { sql: 'SELECT "age", COUNT(*) AS "n", AVG("age") AS "avg_age" FROM "users" GROUP BY "age" HAVING (COUNT(*) > $1)', params: [2], kind: "read" },
    });
  });

  it("insert with RETURNING and upsert, update, delete", () => {
    const insert: Query = {
      kind: "insert",
      table: "users",
      columns: ["email", "age"],
      types: ["text", "integer"],
      rows: [["a@b.c", 1], ["d@e.f", 2]],
      returning: ["id"],
      onConflict: { columns: ["email"], update: ["age"] },
    };
    expect(both(insert)).toEqual({
      sqlite: {
        sql: 'INSERT INTO "users" ("email", "age") VALUES (?, ?), (?, ?) ON CONFLICT ("email") DO UPDATE SET "age" = excluded."age" RETURNING "id"',
        params: ["a@b.c", 1, "d@e.f", 2],
        kind: "insert",
        returning: true,
      },
      postgres: {
        sql: 'INSERT INTO "users" ("email", "age") VALUES ($1, $2), ($3, $4) ON CONFLICT ("email") DO UPDATE SET "age" = excluded."age" RETURNING "id"',
        params: ["a@b.c", 1, "d@e.f", 2],
        kind: "insert",
        returning: true,
      },
    });
    const update: Query = { kind: "update", table: "users", set: [{ column: "active", value: true, type: "boolean" }], where: { kind: "compare", column: "id", op: "=", value: 3, type: "integer" } };
    expect(both(update).sqlite).toEqual({ sql: 'UPDATE "users" SET "active" = ? WHERE "id" = ?', params: [1, 3], kind: "update" });
    expect(both(update).postgres).toEqual({ sql: 'UPDATE "users" SET "active" = $1 WHERE "id" = $2', params: [true, 3], kind: "update" });
    expect(both({ kind: "delete", table: "users" }).postgres).toEqual({ sql: 'DELETE FROM "users"', params: [], kind: "delete" });
  });

  it("DDL from model metadata", () => {
    const q: Query = { kind: "createTable", table: User.metadata.tableSchema, ifNotExists: true };
    expect(both(q).sqlite.sql).toBe(
      'CREATE TABLE IF NOT EXISTS "users" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "email" TEXT NOT NULL UNIQUE, "name" TEXT, "age" INTEGER NOT NULL DEFAULT 0, ' +
        `"active" INTEGER NOT NULL DEFAULT 1, "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))`,
    );
    expect(both(q).postgres.sql).toBe(
      'CREATE TABLE IF NOT EXISTS "users" ("id" INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "email" TEXT NOT NULL UNIQUE, "name" TEXT, "age" INTEGER NOT NULL DEFAULT 0, ' +
        '"active" BOOLEAN NOT NULL DEFAULT TRUE, "created_at" TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP)',
    );
    const samples = postgres.compile({ kind: "createTable", table: Sample.metadata.tableSchema, ifNotExists: false }).sql;
    expect(samples).toContain('"big" BIGINT, "ratio" DOUBLE PRECISION, "price" NUMERIC(30, 10), "body" TEXT, "code" VARCHAR(20), "flag" BOOLEAN, "day" DATE, "at" TIMESTAMPTZ, "data" JSONB, "ref" UUID, "bytes" BYTEA');
  });

  it("quotes identifiers so that no name can break out", () => {
    expect(sqlite.quoteIdentifier('we"ird')).toBe('"we""ird"');
    expect(() => postgres.quoteIdentifier("")).toThrow(ConfigurationError);
    expect(() => postgres.quoteIdentifier("a\0b")).toThrow(/invalid SQL identifier/);
  });

  it("a value a column cannot take is a ValidationError naming the table and column, never a bare TypeError", () => {
    const refused = (query: () => Query, field: string, message: RegExp) => {
      for (const dialect of [sqlite, postgres]) {
        let error: unknown;
        try {
          dialect.compile(query());
        } catch (caught) {
          error = caught;
        }
        expect(error, `${dialect.name}: ${field}`).toBeInstanceOf(ValidationError);
        const { model, issues, code } = error as ValidationError;
        expect({ model, code, field: issues[0]?.field }).toEqual({ model: "samples", code: "VALIDATION", field });
        expect(issues[0]?.message).toMatch(message);
      }
    };
    const insert = (column: string, type: ColumnType, value: unknown) => (): Query => ({ kind: "insert", table: "samples", columns: [column], types: [type], rows: [[value]] });
    refused(insert("body", "text", "a\0b"), "body", /NUL/);
    refused(insert("body", "text", "lone \ud800 surrogate"), "body", /lone UTF-16 surrogate/);
    refused(insert("body", "text", "\udc00"), "body", /lone UTF-16 surrogate/);
    refused(insert("int", "integer", "seven"), "int", /expected a number/);
    refused(insert("day", "date", "2023-02-29"), "day", /calendar day/);
    // In a list, too: each element is converted as a single value would be.
    refused(() => Sample.query().whereCondition({ kind: "in", column: "body", values: ["ok", "\ud83d"], negate: false, type: "text" }).toQuery(), "body", /surrogate/);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const json: [unknown, RegExp][] = [
      [new Map([["a", 1]]), /\$ is a Map/],
      [{ tags: new Set(["a"]) }, /\$\.tags is a Set/],
      [{ n: NaN }, /\$\.n is NaN/],
      [[Infinity], /\$\[0\] is Infinity/],
      [{ f: () => 1 }, /\$\.f is a function/],
      [Symbol("s"), /\$ is a symbol/],
      [{ big: 1n }, /\$\.big is a bigint/],
      [cycle, /\$\.self refers back .* cycle/],
      [deep, /nested deeper than 512 levels/],
      [{ when: new Date(0) }, /\$\.when is a Date/],
      [["\ud800"], /\$\[0\] contains a lone UTF-16 surrogate/],
      [{ "k\udfff": 1 }, /key .* lone UTF-16 surrogate/],
      [{ text: "a\0b" }, /NUL/],
      [[1, undefined], /\$\[1\] is undefined/],
    ];
    for (const [value, message] of json) refused(insert("data", "json", value), "data", message);
  });

  it("DDL constants that cannot be written are ConfigurationErrors", () => {
    const table = { name: "t", columns: [{ name: "a", type: "text" as const, nullable: true, enumValues: ["x\0y"] }] };
    expect(() => sqlite.compile({ kind: "createTable", table: table as never, ifNotExists: false })).toThrow(ConfigurationError);
  });
});
