/**
 * A generated fuzz of hostile strings and JSON values (10,000+, from a fixed
 * seed, so a failure reproduces) through every where-operator and through
 * create, on libSQL and PostgreSQL. Every value is either stored and matched
 * exactly, or refused with an EdgeRecordError; nothing runs as SQL: the canary
 * table survives and the row counts add up.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ActiveRecord,
  and,
  between,
  column,
  contains,
  EdgeRecordError,
  endsWith,
  eq,
  gte,
  like,
  lte,
  ne,
  notOneOf,
  oneOf,
  startsWith,
  table,
  type Backend,
} from "../../src/index.ts";
import { BACKENDS } from "../support/backends.ts";
import { decoratorMode } from "../support/mode.ts";

@table("fuzz_values")
class FuzzValue extends ActiveRecord {
  @column.id() id!: number;
  @column.text() text!: string;
  @column.integer({ nullable: true }) n!: number | null;
  @column.json({ nullable: true }) data!: unknown;
}

@table("fuzz_canary")
class Canary extends ActiveRecord {
  @column.id() id!: number;
  @column.text() word!: string;
}

/** mulberry32: a small seeded PRNG, so every run fuzzes the same values. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  "'", "''", '"', "`", ";", "--", "/*", "*/", "%", "_", "\\", "\\%", "\\_", "?", "$1", "?1", ":name", "@p",
  " OR 1=1", "' OR '1'='1", "'); DROP TABLE fuzz_canary; --", "1=0) UNION SELECT word FROM fuzz_canary --",
  "SELECT", "NULL", "null", "true", "{}", "[]", '{"kind":"raw","strings":["1=1"],"values":[]}', '{"$ne":""}',
  "__proto__", "constructor", "prototype", "$or", "$gt", "\n", "\r\n", "\t", "\u0000", "\u0001", "\u007f",
  "é", "É", "ß", "İ", "ı", "ﬃ", "😀", "👩‍👩‍👧", "\u200b", "\ufeff", "\u202e", "日本", "\ud800", "\udfff", "\ud83d",
  "a", "A", "z", " ", "  ", "x".repeat(300),
];

/** The hostile values: strings built from the pieces, and JSON values of every shape. */
function generate(count: number): unknown[] {
  const random = prng(0x5eed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const values: unknown[] = [...PIECES];
  while (values.length < count) {
    const roll = random();
    if (roll < 0.75) {
      let text = "";
      const parts = 1 + Math.floor(random() * 5);
      for (let i = 0; i < parts; i++) text += pick(PIECES);
      values.push(text);
    } else if (roll < 0.85) {
      values.push(JSON.parse(JSON.stringify({ [pick(["$ne", "$gt", "$like", "$in", "$or", "kind", "__proto__", "constructor"])]: pick(PIECES) })));
    } else if (roll < 0.9) {
      values.push(JSON.parse(`{"kind":"raw","strings":[${JSON.stringify(pick(PIECES))}],"values":[]}`));
    } else if (roll < 0.95) {
      values.push([pick(PIECES), pick(PIECES)]);
    } else {
      values.push(pick([0, -1, 1.5, 2 ** 53, Number.NaN, true, false, null, undefined, 12345678901234567890n]));
    }
  }
  return values;
}

const VALUES = generate(10_000);

/** Whether `work` is refused with an EdgeRecordError (true) or succeeds (false); anything else fails the test. */
async function refused(work: () => Promise<unknown>, label: string): Promise<boolean> {
  try {
    await work();
    return false;
  } catch (error) {
    if (!(error instanceof EdgeRecordError)) throw new Error(`${label}: not an EdgeRecordError: ${String(error)}`, { cause: error });
    return true;
  }
}

describe.each(BACKENDS)(`fuzz: hostile values through every operator on $name (${decoratorMode})`, (fixture) => {
  let close: (() => Promise<void>) | undefined;
  /** text -> ids of the rows stored with exactly that text. */
  const stored = new Map<string, number[]>();
  let refusedCount = 0;

  beforeAll(async () => {
    const opened = await fixture.open();
    close = opened.close;
    const backend: Backend = opened.backend;
    FuzzValue.configure(backend);
    Canary.configure(backend);
    await FuzzValue.createTable();
    await Canary.createTable();
    await Canary.insertMany([{ word: "alive" }, { word: "still alive" }]);
  }, 120_000);

  afterAll(async () => {
    FuzzValue.unconfigure();
    Canary.unconfigure();
    await close?.();
  });

  it("stores each value exactly or refuses it with an EdgeRecordError", async () => {
    // In chunks, all or nothing each; a refused chunk is retried value by value to find who was refused.
    const chunk = 500;
    for (let start = 0; start < VALUES.length; start += chunk) {
      const part = VALUES.slice(start, start + chunk);
      const rows = part.map((value) => ({ text: value as string, data: value }));
      let records: FuzzValue[] | undefined;
      try {
        records = await FuzzValue.insertMany(rows);
      } catch (error) {
        expect(error).toBeInstanceOf(EdgeRecordError);
      }
      if (!records) {
        records = [];
        for (const row of rows) {
          try {
            records.push(await FuzzValue.create(row));
          } catch (error) {
            if (!(error instanceof EdgeRecordError)) throw error;
            refusedCount++;
          }
        }
      }
      for (const record of records) stored.set(record.text, [...(stored.get(record.text) ?? []), record.id]);
    }
    const storedCount = [...stored.values()].reduce((n, ids) => n + ids.length, 0);
    expect(storedCount + refusedCount).toBe(VALUES.length);
    expect(await FuzzValue.count()).toBe(storedCount);
    // Only strings can be stored in a text column, and every string that is well formed and NUL-free was.
    const good = VALUES.filter((v) => typeof v === "string" && (v as unknown as { isWellFormed(): boolean }).isWellFormed() && !v.includes("\0"));
    expect(storedCount).toBe(good.length);
    // What was stored reads back exactly: text and JSON alike.
    const back = await FuzzValue.query().orderBy("id").all();
    for (const record of back) {
      expect(stored.get(record.text)).toContain(record.id);
      expect(record.data).toEqual(record.text);
    }
  }, 300_000);

  it("matches each stored value exactly through every operator, and refuses every other value", async () => {
    const total = await FuzzValue.count();
    for (const value of VALUES) {
      const ids = typeof value === "string" ? stored.get(value) : undefined;
      if (ids) {
        const text = value as string;
        // Every operator at once: the row with exactly this text must satisfy them all, and only such rows.
        const matched = await FuzzValue.where(
          and(
            { text: eq(text) },
            { text: oneOf([text, "\u0002never stored"]) },
            { text: notOneOf(["\u0002never stored"]) },
            { text: between(text, text) },
            { text: gte(text) },
            { text: lte(text) },
            { text: startsWith(text) },
            { text: endsWith(text) },
            { text: contains(text) },
          ),
        )
          .orderBy("id")
          .pluck("id");
        expect(matched, JSON.stringify(text)).toEqual(ids);
        expect(await FuzzValue.where({ text: ne(text) }).count(), JSON.stringify(text)).toBe(total - ids.length);
      } else {
        const label = typeof value === "bigint" ? `${value}n` : String(JSON.stringify(value));
        // null is IS NULL for eq/ne and a plain value, which no row matches; everything else here is refused.
        const operators = value === null ? [gte, lte, (v: unknown) => oneOf([v]), (v: unknown) => between(v, v)] : [eq, ne, gte, lte, (v: unknown) => oneOf([v]), (v: unknown) => between(v, v)];
        for (const operator of operators) {
          expect(await refused(() => FuzzValue.where({ text: operator(value as never) as never }).count(), label), label).toBe(true);
        }
        if (typeof value !== "string") {
          expect(await refused(() => FuzzValue.where({ text: value as never }).count(), label), label).toBe(value !== null);
          expect(await refused(() => FuzzValue.where({ text: startsWith(value as never) }).count(), label), label).toBe(true);
          // An integer column takes integers (and null); whatever else is refused, never coerced.
          const fits = value === null || typeof value === "bigint" || Number.isSafeInteger(value);
          if (!fits) expect(await refused(() => FuzzValue.where({ n: value as never }).count(), label), label).toBe(true);
        }
      }
    }
    // like() patterns are the programmer's: a user's text only through escapeLike-based operators above.
    expect(await FuzzValue.where({ text: like("%") }).count()).toBe(total);
    expect(await Canary.orderBy("id").pluck("word")).toEqual(["alive", "still alive"]);
    expect(await FuzzValue.count()).toBe(total);
  }, 600_000);
});
