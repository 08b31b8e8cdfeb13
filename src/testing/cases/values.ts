/** Every column type, through a model and back: edge values, null, unicode, large integers, dates at the edges. */
import type { ColumnType } from "../../schema/column.ts";
import { ValidationError } from "../../errors.ts";
import { equal, ok, rejects, same } from "../assert.ts";
import type { CaseGroup } from "../harness.ts";
import { isNull } from "../../query/operators.ts";

const bytes = (...values: number[]) => new Uint8Array(values);

/** `[[[...[1]...]]]`, `depth` arrays deep. */
function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

/**
 * Values no backend stores unchanged: each must be refused with a
 * ValidationError naming the column, and nothing written. Drivers would
 * otherwise turn a lone surrogate into U+FFFD, a Map into `{}`, NaN into null.
 */
const REFUSED: readonly [ColumnType, unknown][] = [
  ["text", "lone \ud800 surrogate"],
  ["text", "\udfff"],
  ["text", "nul \0 inside"],
  ["varchar", "\ud83d"],
  ["json", new Map([["a", 1]])],
  ["json", { tags: new Set(["a"]) }],
  ["json", { n: NaN }],
  ["json", [Infinity]],
  ["json", { f: () => 1 }],
  ["json", { s: Symbol("s") }],
  ["json", { big: 1n }],
  ["json", { at: new Date(0) }],
  ["json", { text: "\ud800" }],
  ["json", { text: "nul \0" }],
  ["json", nested(513)],
];

/** Values each type must store and give back unchanged (or as the `[input, output]` pair says). */
export const ROUND_TRIPS: Record<ColumnType, readonly (unknown | { in: unknown; out: unknown })[]> = {
  integer: [0, 1, -1, 2147483647, -2147483648],
  bigint: [0n, 1n, -1n, 9007199254740993n, 2n ** 63n - 1n, -(2n ** 63n), { in: 42, out: 42n }],
  real: [0, 0.1, -2.5, 3.141592653589793, 1.7976931348623157e308, 5e-324],
  decimal: ["0.10", "-12345678901234567890.123456789", "1", { in: 2.5, out: "2.5" }],
  text: ["", "hello", "héllo wörld 你好 🎉 e\u0301", "it's \"quoted\" \\ back\nslash\ttab", "x".repeat(10_000)],
  varchar: ["short", "ünïcödé ✓"],
  boolean: [true, false],
  date: [
    new Date("1970-01-01T00:00:00Z"),
    new Date("2024-02-29T00:00:00Z"),
    new Date("9999-12-31T00:00:00Z"),
    { in: new Date("2024-02-29T15:30:00Z"), out: new Date("2024-02-29T00:00:00Z") },
    // Years past 9999 and before AD 1 (year 0 is 1 BC), never cut to ten characters.
    new Date("+010000-01-01T00:00:00Z"),
    new Date("0001-01-01T00:00:00Z"),
    new Date("0000-02-29T00:00:00Z"),
    new Date("-000044-03-15T00:00:00Z"),
  ],
  datetime: [
    new Date(0),
    new Date("2024-02-29T12:34:56.789Z"),
    new Date("1969-07-20T20:17:40.001Z"),
    new Date("9999-12-31T23:59:59.999Z"),
    new Date("0099-01-01T00:00:00.000Z"),
    new Date("-000044-03-15T12:00:00.123Z"),
    new Date("0000-12-31T23:59:59.999Z"),
    new Date("+010000-01-01T00:00:00.000Z"),
  ],
  json: [
    { a: 1, b: [true, null, "x"], nested: { "é": "🎉" } },
    [1, 2, 3],
    "just a string",
    42,
    true,
    {},
    { "🎉 key": "\ud83c\udf89 a well-formed pair", quote: "\"\\" },
    // As deep as a JSON column takes (MAX_JSON_DEPTH).
    nested(511),
  ],
  uuid: ["a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", { in: "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A12", out: "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12" }],
  blob: [bytes(0, 1, 2, 254, 255), bytes(...Array.from({ length: 1024 }, (_, i) => i % 256))],
};

/**
 * The bigints a backend without `capabilities.int64` must still round-trip:
 * the edges of the range a double holds exactly, ±(2^53 - 1).
 */
const SAFE_BIGINTS: readonly unknown[] = [0n, 1n, -1n, 2n ** 53n - 1n, -(2n ** 53n - 1n), { in: 42, out: 42n }];

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.slice(0, 30));
  return Object.prototype.toString.call(value);
}

function pair(value: unknown): { in: unknown; out: unknown } {
  return value !== null && typeof value === "object" && "in" in value && "out" in value ? (value as { in: unknown; out: unknown }) : { in: value, out: value };
}

/** Types whose values a `WHERE column = value` must find again. */
const COMPARABLE: readonly ColumnType[] = ["integer", "bigint", "real", "decimal", "text", "varchar", "boolean", "date", "datetime", "uuid", "blob"];

export const valueCases: CaseGroup = (ctx) => {
  ctx.describe("values", () => {
    for (const [type, all] of Object.entries(ROUND_TRIPS) as [ColumnType, readonly unknown[]][]) {
      ctx.it(`${type} round-trips`, async () => {
        const { Sample } = ctx.models;
        const values = type === "bigint" && !ctx.backend.dialect.capabilities.int64 ? SAFE_BIGINTS : all;
        for (const value of values) {
          const { in: input, out } = pair(value);
          const created = await Sample.create({ [type]: input });
          const found = await Sample.find(created.id);
          ok(found, `${type}: the record just created is found`);
          equal((found as unknown as Record<string, unknown>)[type], out, `${type}: value read back`);
          equal((created as unknown as Record<string, unknown>)[type], out, `${type}: the created record holds the stored form`);
          ok(!created.isDirty(), `${type}: the created record is clean`);
          if (COMPARABLE.includes(type)) {
            const matches = await Sample.where({ id: created.id, [type]: input }).count();
            equal(matches, 1, `${type}: WHERE ${type} = ${String(out)} finds the row`);
          }
        }
      });
    }

    ctx.it("IN lists find each type's values, and NOT IN leaves them out", async () => {
      const { Sample } = ctx.models;
      for (const type of COMPARABLE) {
        const values = (type === "bigint" && !ctx.backend.dialect.capabilities.int64 ? SAFE_BIGINTS : ROUND_TRIPS[type]).map(pair);
        const tag = `in-list-${type}`;
        const tagColumn = type === "text" ? "varchar" : "text";
        for (const { in: input } of values) await Sample.create({ [tagColumn]: tag, [type]: input });
        const inputs = values.map((v) => v.in);
        const count = (negate: boolean, list: readonly unknown[]) =>
          Sample.query().where({ [tagColumn]: tag }).whereCondition({ kind: "in", column: type, values: list, negate, type }).count();
        equal(await count(false, inputs), values.length, `${type}: IN (every value) finds every row`);
        equal(await count(true, inputs), 0, `${type}: NOT IN (every value) finds none`);
        equal(await count(false, [inputs[0]]), values.filter((v) => same(v.out, values[0]!.out)).length, `${type}: IN (the first value) finds its rows`);
        equal(await count(false, []), 0, `${type}: IN () finds nothing`);
        equal(await count(true, []), values.length, `${type}: NOT IN () finds everything`);
      }
    });

    ctx.it("values no backend can store unchanged are refused with a ValidationError naming the column", async () => {
      const { Sample } = ctx.models;
      for (const [type, value] of REFUSED) {
        const error = await rejects(Sample.create({ text: "refused", [type]: value }), ValidationError, `${type} ${describe(value)}`);
        ok(
          error.issues.some((issue) => issue.field === type || issue.message.includes(type)),
          `the error names the column ${type} (got ${error.message})`,
        );
      }
      equal(await Sample.count({ text: "refused" }), 0, "rows written by refused values");
    });

    ctx.it("a bigint past 2^53 is refused, never rounded (without capabilities.int64)", async () => {
      if (ctx.backend.dialect.capabilities.int64) return;
      const { Sample } = ctx.models;
      // 2^53 + 1 is the first integer a double cannot hold: rounding would store 2^53.
      for (const big of [2n ** 53n + 1n, -(2n ** 53n + 1n), 2n ** 63n - 1n]) {
        const tag = `int64-refused-${big}`;
        await rejects(Sample.create({ text: tag, bigint: big }), ValidationError, `create() with bigint ${big}`);
        equal(await Sample.count({ text: tag }), 0, `rows stored for bigint ${big}`);
      }
      const kept = await Sample.create({ text: "int64-kept", bigint: 1n });
      kept.bigint = 2n ** 53n + 1n;
      await rejects(kept.save(), ValidationError, "an update to a bigint past 2^53");
      equal((await Sample.findOrFail(kept.id)).bigint, 1n, "the bigint after the refused update");
    });

    ctx.it("null round-trips in every column type", async () => {
      const { Sample } = ctx.models;
      const created = await Sample.create({});
      const found = await Sample.find(created.id);
      ok(found, "the record just created is found");
      for (const type of Object.keys(ROUND_TRIPS)) {
        equal((found as unknown as Record<string, unknown>)[type], null, `${type}: null read back`);
      }
      equal(await Sample.where({ id: created.id, text: null, bigint: isNull() }).count(), 1, "IS NULL finds the row");
    });

    ctx.it("an update writes every type and reads it back", async () => {
      const { Sample } = ctx.models;
      const record = await Sample.create({ integer: 1 });
      const next = {
        integer: 7,
        // Past 2^53 where the backend holds 64-bit integers; the largest exact double otherwise.
        bigint: ctx.backend.dialect.capabilities.int64 ? 2n ** 62n : 2n ** 53n - 1n,
        real: 1.25,
        decimal: "99.99",
        text: "ünïcödé",
        varchar: "v",
        boolean: true,
        date: new Date("2000-01-01T00:00:00Z"),
        datetime: new Date("2000-01-01T00:00:00.123Z"),
        json: { list: [1, "two"] },
        uuid: "00000000-0000-4000-8000-000000000000",
        blob: bytes(9, 8, 7),
      };
      Object.assign(record, next);
      await record.save();
      const found = await Sample.find(record.id);
      for (const [key, value] of Object.entries(next)) {
        equal((found as unknown as Record<string, unknown>)[key], value, `${key} after save()`);
      }
    });

    ctx.it("in-place changes to a loaded record's dates, JSON and bytes are changes, saved like any other", async () => {
      const { Sample } = ctx.models;
      const created = await Sample.create({ datetime: new Date("2020-01-01T00:00:00Z"), json: { tags: ["a"] }, blob: bytes(1, 2) });
      const loaded = await Sample.findOrFail(created.id);
      ok(!loaded.isDirty(), "a freshly loaded record is clean");
      loaded.datetime!.setUTCFullYear(2021);
      (loaded.json as { tags: string[] }).tags.push("b");
      loaded.blob![0] = 9;
      equal(Object.keys(loaded.changes()).sort(), ["blob", "datetime", "json"], "the changed attributes");
      equal(loaded.original("datetime"), new Date("2020-01-01T00:00:00Z"), "the original date is kept apart");
      await loaded.save();
      const again = await Sample.findOrFail(created.id);
      equal([again.datetime, again.json, again.blob], [new Date("2021-01-01T00:00:00Z"), { tags: ["a", "b"] }, bytes(9, 2)], "the saved values");
    });
  });
};
