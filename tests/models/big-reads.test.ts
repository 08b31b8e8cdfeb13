/**
 * Big reads and pages: cursor()/chunk() read 1,000,000 rows in bounded memory,
 * and paginateAfter() pages by keyset, stable under inserts, with cursors
 * checked like any client input. On libSQL and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ActiveRecord, ArgumentError, column, gte, table, type Backend } from "../../src/index.ts";
import { BACKENDS } from "../support/backends.ts";
import { decoratorMode } from "../support/mode.ts";

@table("big_rows")
class BigRow extends ActiveRecord {
  @column.id() id!: number;
  @column.integer() n!: number;
  @column.integer() grp!: number;
}

@table("page_items")
class Item extends ActiveRecord {
  @column.id() id!: number;
  @column.integer() score!: number;
  @column.text() name!: string;
  @column.text({ nullable: true }) note!: string | null;
}

const ROWS = 1_000_000;

/** Rows made by the database itself: a million inserts from JavaScript would only time the insert. */
const GENERATE: Record<string, string> = {
  libsql: `INSERT INTO big_rows (n, grp) WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${ROWS}) SELECT i, i % 7 FROM s`,
  postgres: `INSERT INTO big_rows (n, grp) SELECT i, i % 7 FROM generate_series(1, ${ROWS}) AS i`,
};

describe.each(BACKENDS)(`big reads and keyset pages on $name (${decoratorMode})`, (fixture) => {
  let backend: Backend;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ backend, close } = await fixture.open());
    BigRow.configure(backend);
    Item.configure(backend);
    await BigRow.createTable();
    await Item.createTable();
    await BigRow.execute(GENERATE[fixture.name]!);
  }, 120_000);
  afterAll(async () => {
    BigRow.unconfigure();
    Item.unconfigure();
    await close();
  });

  it("cursor() reads a million rows in key order with the heap staying flat", async () => {
    const baseline = process.memoryUsage().heapUsed;
    let peak = 0;
    let count = 0;
    let sum = 0;
    let last = 0;
    let ordered = true;
    for await (const row of BigRow.query().cursor({ batchSize: 5000 })) {
      if (row.id <= last) ordered = false;
      last = row.id;
      count++;
      sum += row.n;
      if (count % 50_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
    }
    expect(count).toBe(ROWS);
    expect(sum).toBe((ROWS * (ROWS + 1)) / 2);
    expect(ordered).toBe(true);
    // A million records held at once take several hundred MB; one batch of 5,000 takes a few.
    expect(peak).toBeLessThan(150 * 1024 * 1024);
  }, 300_000);

  it("chunk() hands over filtered batches; a custom order is refused", async () => {
    const sizes: number[] = [];
    await BigRow.where({ grp: 3, n: gte(ROWS - 70_000) }).chunk(4000, (rows) => {
      expect(rows.every((r) => r.grp === 3)).toBe(true);
      sizes.push(rows.length);
    });
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(sizes.slice(0, -1).every((s) => s === 4000)).toBe(true);
    await expect(BigRow.orderBy("n").chunk(10, () => undefined)).rejects.toBeInstanceOf(ArgumentError);
    await expect(BigRow.query().chunk(0, () => undefined)).rejects.toBeInstanceOf(ArgumentError);
  });

  it("inside a transaction, cursor() reads through a server-side cursor in any order where the database has one", async () => {
    const serverSide = fixture.name === "postgres";
    const sql: string[] = [];
    const off = ActiveRecord.on("query", (e) => void sql.push(e.sql));
    try {
      const read = () =>
        BigRow.transaction(async () => {
          const seen: number[] = [];
          for await (const row of BigRow.where({ grp: 3 }).orderBy("n", "desc").limit(2500).cursor({ batchSize: 1000 })) {
            seen.push(row.n);
            // The loop body's own statements run on the same transaction meanwhile (a portal would make them wait).
            if (seen.length === 1) await Item.create({ score: 100, name: "from inside a cursor" });
          }
          return seen;
        });
      if (!serverSide) {
        await expect(read()).rejects.toThrow(/primary-key order/);
        return;
      }
      const seen = await read();
      const top = ROWS - ((ROWS - 3) % 7); // the largest n with n % 7 === 3
      expect(seen).toEqual(Array.from({ length: 2500 }, (_, i) => top - 7 * i));
      expect(sql.filter((s) => s.startsWith("DECLARE"))).toHaveLength(1);
      expect(sql.filter((s) => s.startsWith("FETCH"))).toHaveLength(3);
      expect(sql.filter((s) => s.startsWith("CLOSE"))).toHaveLength(1);
      expect(await Item.where({ name: "from inside a cursor" }).count()).toBe(1);
    } finally {
      off();
    }
    // Leaving the loop early closes the cursor at once, not at commit.
    await BigRow.transaction(async () => {
      for await (const row of BigRow.orderBy("n", "desc").cursor({ batchSize: 10 })) {
        expect(row.n).toBe(ROWS);
        break;
      }
      const [open] = (await BigRow.execute("SELECT count(*) AS n FROM pg_cursors")).rows;
      expect(Number(open!.n)).toBe(0);
    });
  });

  // Only PostgreSQL has server-side cursors; on libSQL the test above proves the refusal instead.
  if (fixture.name === "postgres") {
    it("a server-side cursor reads a million rows inside a transaction with the heap staying flat", async () => {
      const baseline = process.memoryUsage().heapUsed;
      let peak = 0;
      let count = 0;
      let last = Infinity;
      let ordered = true;
      await BigRow.transaction(async () => {
        for await (const row of BigRow.orderBy("n", "desc").cursor({ batchSize: 5000 })) {
          if (row.n >= last) ordered = false;
          last = row.n;
          count++;
          if (count % 50_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
        }
      });
      expect(count).toBe(ROWS);
      expect(ordered).toBe(true);
      expect(peak).toBeLessThan(150 * 1024 * 1024);
    }, 300_000);
  }

  it("paginateAfter pages in the query's order with the key as tie-break, stable under inserts", async () => {
    await Item.insertMany(Array.from({ length: 25 }, (_, i) => ({ score: i % 5, name: `item ${i}` })));
    const query = Item.orderBy("score", "desc");
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { rows: Item[]; next: string | null } = await query.paginateAfter(cursor, 10);
      seen.push(...page.rows.map((r) => r.id));
      cursor = page.next;
      pages++;
      // Rows inserted mid-way sort before the pages already read (score 9 comes first): they must not shift what follows.
      if (pages === 1) await Item.insertMany([{ score: 9, name: "late" }]);
    } while (cursor);
    expect(pages).toBe(3);
    const all = await Item.query().all();
    const expected = all
      .filter((r) => r.name !== "late")
      .sort((a, b) => b.score - a.score || a.id - b.id)
      .map((r) => r.id);
    expect(seen).toEqual(expected);
  });

  it("a cursor from a client is checked before any SQL", async () => {
    const { next } = await Item.orderBy("score", "desc").paginateAfter(null, 2);
    expect(next).toBeTypeOf("string");
    const forged = [
      "not a cursor!",
      btoa(JSON.stringify(["1 OR 1=1", 1])),
      btoa(JSON.stringify([{ $gt: 0 }, 1])),
      btoa(JSON.stringify([1])),
      btoa("{"),
      "x".repeat(5000),
    ];
    for (const cursor of forged) {
      await expect(Item.orderBy("score", "desc").paginateAfter(cursor, 2), cursor.slice(0, 40)).rejects.toBeInstanceOf(ArgumentError);
    }
    // A cursor is tied to its order: another order's cursor does not decode to it.
    await expect(Item.orderBy("score").orderBy("name").paginateAfter(next, 2)).rejects.toBeInstanceOf(ArgumentError);
    await expect(Item.orderBy("note" as never).paginateAfter(null, 2)).rejects.toBeInstanceOf(ArgumentError);
  });
});
