/**
 * The D1 backend against Miniflare's local D1 (SQLite inside workerd),
 * driven from Node through Miniflare's binding proxy: value round trips,
 * counts, error mapping, atomic batches, and what a D1 transaction does and
 * refuses. Cases follow the dialect's capability flags. The same backend
 * inside a real Worker is covered by workerd.test.ts.
 */
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ActiveRecord, column, IntegrityError, oneOf, QueryError, table, TransactionError, ValidationError } from "../../src/index.ts";
import { D1Backend, type D1Database } from "../../src/backend/d1/index.ts";
import { decoratorMode } from "../support/mode.ts";

@table("d1_items")
class Item extends ActiveRecord {
  @column.id() id!: number;
  @column.text({ unique: true }) name!: string;
  @column.bigint({ nullable: true }) big!: bigint | null;
  @column.boolean({ default: false }) flag!: boolean;
  @column.datetime({ nullable: true }) at!: Date | null;
  @column.json({ nullable: true }) data!: unknown;
  @column.blob({ nullable: true }) bytes!: Uint8Array | null;
}

describe(`D1 backend in Miniflare (${decoratorMode})`, () => {
  let mf: Miniflare;
  let db: D1Database;
  let backend: D1Backend;

  beforeAll(async () => {
    mf = new Miniflare({ modules: true, script: "export default { fetch() { return new Response('') } }", d1Databases: ["DB", "OTHER"] });
    db = (await mf.getD1Database("DB")) as unknown as D1Database;
    backend = new D1Backend({ binding: db });
    Item.configure(backend);
  });
  afterAll(() => mf.dispose());
  beforeEach(async () => {
    await Item.dropTable({ ifExists: true });
    await Item.createTable();
  });

  it("declares what D1 lacks through capability flags", () => {
    const caps = backend.dialect.capabilities;
    expect(caps).toMatchObject({ savepoints: false, interactiveTransactions: false, isolationLevels: [], readOnlyTransactions: false, returning: true, maxParameters: 100 });
  });

  it("round-trips values", async () => {
    const at = new Date("2024-02-29T12:34:56.789Z");
    const item = await Item.create({ name: "ünï 🚀", big: 9007199254740991n, flag: true, at, data: { a: [1, "x"] }, bytes: new Uint8Array([0, 255, 7]) });
    const back = await Item.findOrFail(item.id);
    expect(back.name).toBe("ünï 🚀");
    expect(back.big).toBe(9007199254740991n);
    expect(back.flag).toBe(true);
    expect(back.at?.toISOString()).toBe(at.toISOString());
    expect(back.data).toEqual({ a: [1, "x"] });
    expect(back.bytes).toEqual(new Uint8Array([0, 255, 7]));
    const empty = await Item.create({ name: "nulls" });
    expect(await Item.findOrFail(empty.id)).toMatchObject({ big: null, at: null, data: null, bytes: null, flag: false });
  });

  it("refuses an integer a double cannot hold, rather than rounding it", async () => {
    await expect(Item.create({ name: "huge", big: 2n ** 60n })).rejects.toThrow(/lose precision/);
    await expect(Item.create({ name: "huge", big: 2n ** 60n })).rejects.toBeInstanceOf(ValidationError);
  });

  it("reports affected rows and the inserted id", async () => {
    const inserted = await Item.execute("INSERT INTO d1_items (name) VALUES (?), (?)", ["a", "b"]);
    expect(inserted.affectedRows).toBe(2);
    expect(inserted.lastInsertId).toBe(2);
    expect(await Item.updateWhere({ name: oneOf(["a", "b"]) }, { flag: true })).toBe(2);
    expect((await Item.execute("SELECT * FROM d1_items")).affectedRows).toBe(0);
    expect(await Item.deleteWhere({ name: "a" })).toBe(1);
  });

  it("maps errors once, with the statement", async () => {
    await Item.create({ name: "dup" });
    const dup = await Item.create({ name: "dup" }).catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(IntegrityError);
    expect(dup).toMatchObject({ kind: "unique", table: "d1_items", column: "name" });
    const bad = await Item.raw("SELEC nonsense").catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(QueryError);
    expect((bad as QueryError).sql).toBe("SELEC nonsense");
  });

  it("runs a batch atomically", async () => {
    const ok = await backend.batch([
      { sql: "INSERT INTO d1_items (name) VALUES (?)", params: ["x"] },
      { sql: "INSERT INTO d1_items (name) VALUES (?)", params: ["y"] },
    ]);
    expect(ok.map((r) => r.affectedRows)).toEqual([1, 1]);
    const failed = backend.batch([
      { sql: "INSERT INTO d1_items (name) VALUES (?)", params: ["z"] },
      { sql: "INSERT INTO d1_items (name) VALUES (?)", params: ["x"] },
    ]);
    await expect(failed).rejects.toBeInstanceOf(IntegrityError);
    expect(await Item.pluck("name")).toEqual(["x", "y"]);
  });

  it("splits bulk inserts at D1's 100 parameters into one batch, all or nothing", async () => {
    const rows = Array.from({ length: 150 }, (_, i) => ({ name: `n${i}` }));
    const sent: number[] = [];
    const batch = backend.batch.bind(backend);
    backend.batch = (queries) => (sent.push(queries.length), batch(queries));
    try {
      // Three statements of 50 rows (name and flag: 2 parameters a row) outside a transaction: one batch() call, exact counts.
      expect(await Item.insertMany(rows, { returning: false })).toBe(150);
      expect(sent).toEqual([3]);
      // A batch answers RETURNING, so the records come back too (a D1 transaction could not).
      const records = await Item.insertMany(rows.map((r) => ({ name: `x${r.name}` })));
      expect(sent).toEqual([3, 3]);
      expect(records.map((r) => r.name)).toEqual(rows.map((r) => `x${r.name}`));
      expect(new Set(records.map((r) => r.id)).size).toBe(150);
    } finally {
      backend.batch = batch;
    }
    expect(await Item.count()).toBe(300);
    // A duplicate in the last statement undoes the earlier ones.
    await expect(Item.insertMany([...rows.map((r) => ({ name: `y${r.name}` })), { name: "n0" }])).rejects.toBeInstanceOf(IntegrityError);
    expect(await Item.count()).toBe(300);
  });

  it("inside a transaction, a split bulk insert joins the scope's batch", async () => {
    const rows = Array.from({ length: 150 }, (_, i) => ({ name: `n${i}` }));
    await Item.transaction(async () => {
      expect(await Item.insertMany(rows, { returning: false })).toBeNaN();
      await Item.updateWhere({ name: "n0" }, { flag: true });
    });
    expect(await Item.count()).toBe(150);
    expect(await Item.where({ flag: true }).pluck("name")).toEqual(["n0"]);
    // Returning records would need RETURNING inside the scope's batch, which cannot answer before commit.
    await expect(Item.transaction(() => Item.insertMany(rows.map((r) => ({ name: `x${r.name}` }))))).rejects.toThrow(/cannot read inside a transaction/);
    expect(await Item.count()).toBe(150);
  });

  describe("transactions are one batch at commit", () => {
    it("commits queued writes together and fills in their counts afterwards", async () => {
      await Item.insertMany([{ name: "a" }, { name: "b" }], { returning: false });
      let queued: { affectedRows: number } | undefined;
      await Item.transaction(async () => {
        queued = await Item.execute("UPDATE d1_items SET flag = 1 WHERE name IN ('a', 'b')");
        expect(queued.affectedRows).toBeNaN();
        await Item.deleteWhere({ name: "b" });
      });
      expect(queued?.affectedRows).toBe(2);
      expect(await Item.where({ flag: true }).pluck("name")).toEqual(["a"]);
    });

    it("sends nothing when the scope throws", async () => {
      await Item.create({ name: "keep" });
      await expect(
        Item.transaction(async () => {
          await Item.deleteWhere({ name: "keep" });
          throw new Error("changed my mind");
        }),
      ).rejects.toThrow("changed my mind");
      expect(await Item.count()).toBe(1);
    });

    it("refuses reads and RETURNING inside, naming why", async () => {
      await expect(Item.transaction(() => Item.all())).rejects.toThrow(/cannot read inside a transaction/);
      const create = Item.transaction(() => Item.create({ name: "r" }));
      await expect(create).rejects.toBeInstanceOf(TransactionError);
      await expect(create).rejects.toThrow(/create\(\) reads back the inserted row/);
      expect(await Item.count()).toBe(0);
    });

    it("refuses nesting and isolation levels", async () => {
      await expect(Item.transaction(() => Item.transaction(async () => 1))).rejects.toThrow(/cannot be nested/);
      await expect(Item.transaction(async () => 1, { isolation: "serializable" })).rejects.toThrow(/isolation level/);
      await expect(Item.transaction(async () => 1, { readOnly: true })).rejects.toBeInstanceOf(TransactionError);
      await expect(Item.transaction(async () => 1, { timeout: 1000 })).rejects.toBeInstanceOf(TransactionError);
    });

    it("keeps two concurrent scopes apart", async () => {
      await Item.insertMany([{ name: "a" }, { name: "b" }], { returning: false });
      const failing = Item.transaction(async () => {
        await Item.updateWhere({ name: "a" }, { flag: true });
        await new Promise((r) => setTimeout(r, 5));
        throw new Error("first scope fails");
      });
      const passing = Item.transaction(async () => {
        await new Promise((r) => setTimeout(r, 1));
        await Item.updateWhere({ name: "b" }, { flag: true });
      });
      await expect(failing).rejects.toThrow("first scope fails");
      await passing;
      expect(await Item.where({ flag: true }).pluck("name")).toEqual(["b"]);
    });
  });

  describe("sessions (read replication, the Sessions API)", () => {
    // Miniflare's local D1 answers each query with the database's commit token (`x-cf-d1-session-commit-token`),
    // which workerd's own withSession() turns into the session's bookmark: counter in the second field.
    const counter = (bookmark: string | null | undefined) => Number.parseInt(String(bookmark).split("-")[1]!, 16);

    it("runs a scope's statements in one withSession() session and gives its bookmark", async () => {
      expect(typeof db.withSession).toBe("function");
      expect(backend.bookmark()).toBeUndefined();
      const first = await backend.withSession(null, async () => {
        expect(backend.bookmark()).toBeNull(); // no statement yet, no bookmark given
        await Item.create({ name: "s1" });
        const afterWrite = backend.bookmark();
        expect(afterWrite).toMatch(/^[0-9a-f]{8}-[0-9a-f]{8}-/);
        expect(await Item.pluck("name")).toEqual(["s1"]);
        expect(counter(backend.bookmark())).toBeGreaterThan(counter(afterWrite)); // the read went through the same session
        await Item.transaction(async () => {
          await Item.updateWhere({ name: "s1" }, { flag: true });
        });
        return backend.bookmark();
      });
      expect(backend.bookmark()).toBeUndefined();
      // The next request starts from that bookmark: its session is at least as new, so it reads the write.
      await backend.withSession(first, async () => {
        expect(backend.bookmark()).toBe(first);
        expect(await Item.where({ flag: true }).pluck("name")).toEqual(["s1"]);
        expect(counter(backend.bookmark())).toBeGreaterThan(counter(first));
      });
    });

    it("keeps concurrent scopes' sessions apart; a nested scope joins the outer one", async () => {
      const seen: (string | null | undefined)[] = [];
      await Promise.all(
        ["a", "b"].map((name) =>
          backend.withSession("first-primary", async () => {
            await Item.create({ name });
            const mine = backend.bookmark();
            await new Promise((r) => setTimeout(r, 1));
            await backend.withSession("first-unconstrained", async () => expect(backend.bookmark()).toBe(mine));
            seen.push(mine);
          }),
        ),
      );
      expect(seen).toHaveLength(2);
      expect(seen[0]).not.toBe(seen[1]);
    });

    it("config.session sets where sessions start; a binding without withSession() is refused clearly", async () => {
      const sessioned = new D1Backend({ binding: db, session: "first-primary" });
      expect((await sessioned.execute({ sql: "SELECT 1 AS one", params: [] })).rows).toEqual([{ one: 1 }]);
      expect(await sessioned.withSession(undefined, async () => (await sessioned.execute({ sql: "SELECT 2 AS two", params: [] }), sessioned.bookmark()))).toMatch(/^[0-9a-f]{8}-/);
      const old: D1Database = { prepare: (sql) => db.prepare(sql), batch: (s) => db.batch(s) };
      expect(() => new D1Backend({ binding: old, session: "first-primary" })).toThrow(/withSession\(\)/);
      await expect(new D1Backend({ binding: old }).withSession(null, async () => 1)).rejects.toThrow(/Sessions API/);
    });
  });

  it("configure({ binding }) gives each binding its own backend", async () => {
    const other = (await mf.getD1Database("OTHER")) as unknown as D1Database;
    class A extends ActiveRecord {}
    class B extends ActiveRecord {}
    class C extends ActiveRecord {}
    const a = A.configure({ binding: db }, D1Backend);
    const b = B.configure({ binding: other }, D1Backend);
    const c = C.configure({ binding: db }, D1Backend);
    // Compared as booleans: printing a binding proxy on failure would itself throw.
    expect(a === b).toBe(false);
    expect(a === c).toBe(true);
  });
});
