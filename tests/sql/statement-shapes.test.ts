/**
 * A statement's shape must not grow with its input: eager loading and IN
 * lists bind one list parameter, so 100,000 parents load past the
 * bound-parameter limit (32,766 on SQLite, 65,534 through postgres.js), and
 * PostgreSQL keeps one prepared statement however many list lengths it sees.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ActiveRecord, belongsTo, column, hasMany, table, type Backend } from "../../src/index.ts";
import { PostgresBackend } from "../../src/backend/postgres/index.ts";
import { BACKENDS } from "../support/backends.ts";
import { decoratorMode } from "../support/mode.ts";
import { createTestSchema, needsRealServer, onPgliteFallback, type TestSchema } from "../support/postgres.ts";

@table("shape_parents")
class Parent extends ActiveRecord {
  @column.id() id!: number;
  @column.text() name!: string;
  @hasMany(() => Child) children!: Child[];
}

@table("shape_children")
class Child extends ActiveRecord {
  @column.id() id!: number;
  @column.integer({ references: { table: "shape_parents" }, index: true }) parentId!: number;
  @column.text() name!: string;
  @belongsTo(() => Parent) parent!: Parent;
}

const PARENTS = 100_000;
const pglite = await onPgliteFallback();

for (const fixture of BACKENDS) {
  describe(`eager loading past the parameter limit: ${fixture.name} (${decoratorMode})`, () => {
    let opened: { backend: Backend; close(): Promise<void> };

    beforeAll(async () => {
      opened = await fixture.open();
      for (const model of [Parent, Child]) model.configure(opened.backend);
      await Parent.createTable();
      await Child.createTable();
      // Plain bulk inserts: the fixture is data, not what is under test.
      await Parent.insertMany(Array.from({ length: PARENTS }, (_, i) => ({ name: `p${i}` })), { returning: false });
      const children = Array.from({ length: PARENTS }, (_, i) => ({ parentId: i + 1, name: `c${i}` }));
      // Every third parent has a second child.
      for (let i = 0; i < PARENTS; i += 3) children.push({ parentId: i + 1, name: `d${i}` });
      await Child.insertMany(children, { returning: false });
    }, 120_000);

    afterAll(async () => {
      await opened?.close();
    });

    it(`loads ${PARENTS} parents with their children`, async () => {
      const parents = await Parent.with("children").orderBy("id").all();
      expect(parents).toHaveLength(PARENTS);
      const counts = parents.map((p) => p.children.length);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(PARENTS + Math.ceil(PARENTS / 3));
      expect(parents[0]!.children.map((c) => c.name).sort()).toEqual(["c0", "d0"]);
      expect(parents[PARENTS - 2]!.children.map((c) => c.name)).toEqual([`c${PARENTS - 2}`]);
    }, 120_000);

    it(`loads the parent of ${PARENTS + Math.ceil(PARENTS / 3)} children (belongsTo)`, async () => {
      const children = await Child.with("parent").all();
      expect(children.every((c) => c.parent.id === c.parentId)).toBe(true);
    }, 120_000);

    it("an IN list of 100,000 keys, and NOT IN, in one statement", async () => {
      const ids = Array.from({ length: PARENTS }, (_, i) => i + 1);
      const inList = (negate: boolean) => Parent.query().whereCondition({ kind: "in", column: "id", values: ids, negate, type: "integer" });
      expect(await inList(false).count()).toBe(PARENTS);
      expect(await inList(true).count()).toBe(0);
    }, 120_000);
  });
}

describe(`PostgreSQL prepared statements stay bounded (${decoratorMode})`, () => {
  let schema: TestSchema;
  let backend: PostgresBackend | undefined;

  beforeAll(async () => {
    schema = await createTestSchema();
  });

  afterAll(async () => {
    await backend?.disconnect();
    await schema?.drop();
  });

  /** Named prepared statements of the backend's own connection, counted on that connection. */
  async function prepared(on: Backend): Promise<number> {
    const { rows } = await on.execute({ sql: "SELECT count(*)::int AS n FROM pg_prepared_statements", params: [] });
    return rows[0]!["n"] as number;
  }

  it.skipIf(pglite)(`1,000 different IN-list lengths leave the statement count flat ${needsRealServer}`, async () => {
    // One connection, so every statement lands on the session whose prepared statements are counted.
    backend = new PostgresBackend({ ...schema.config, max: 1 });
    for (const model of [Parent, Child]) model.configure(backend);
    await Parent.createTable();
    await Child.createTable();
    await Parent.insertMany(Array.from({ length: 1_000 }, (_, i) => ({ name: `p${i}` })), { returning: false });

    const run = (length: number) =>
      Parent.query().whereCondition({ kind: "in", column: "id", values: Array.from({ length }, (_, i) => i + 1), negate: false, type: "integer" }).count();
    expect(await run(1)).toBe(1);
    const before = await prepared(backend);
    for (let length = 1; length <= 1_000; length++) expect(await run(length)).toBe(length);
    const after = await prepared(backend);
    // The same statement every time: nothing new prepared, however many lengths.
    expect(after - before).toBe(0);

    // And eager loading over lists of every length from 1 to 200 parents.
    for (let length = 1; length <= 200; length++) {
      const parents = await Parent.with("children").where({ name: `p${length - 1}` }).all();
      expect(parents).toHaveLength(1);
    }
    expect(await prepared(backend)).toBeLessThanOrEqual(after + 2);
  }, 120_000);

  it.skipIf(pglite)(`statementCacheSize bounds how many statements one connection prepares ${needsRealServer}`, async () => {
    const bounded = new PostgresBackend({ ...schema.config, max: 1, statementCacheSize: 10 });
    try {
      const start = await prepared(bounded);
      // 50 different statement texts, as raw SQL built from input would make.
      for (let i = 0; i < 50; i++) {
        const { rows } = await bounded.execute({ sql: `SELECT $1::int + ${i} AS n`, params: [1] });
        expect(rows[0]!["n"]).toBe(1 + i);
      }
      expect(await prepared(bounded)).toBeLessThanOrEqual(start + 10);
      // Past the bound, statements still run (unnamed).
      const { rows } = await bounded.execute({ sql: "SELECT 'still runs' AS s", params: [] });
      expect(rows[0]!["s"]).toBe("still runs");
    } finally {
      await bounded.disconnect();
    }
  }, 60_000);

  it("statementCacheSize must be a non-negative integer", () => {
    expect(() => new PostgresBackend({ url: schema.url, statementCacheSize: -1 })).toThrow(/statementCacheSize/);
  });
});
