import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LibsqlBackend } from "../../src/backend/libsql/index.ts";
import { LIBSQL_KINDS, openLibsql, type TestDatabase } from "../support/libsql.ts";
import { decoratorMode } from "../support/mode.ts";
import { Sample } from "../support/models.ts";
import { gt, lt } from "../../src/index.ts";

const full = {
  int: -2147483648,
  big: 9223372036854775807n,
  ratio: 0.1 + 0.2,
  price: "12345678901234567890.1234567890",
  body: "日本語 ✓ 'quotes' \"double\" 🚀 \n\t",
  code: "ABC-123",
  flag: false,
  day: new Date("2024-02-29T00:00:00.000Z"),
  at: new Date("2024-12-31T23:59:59.999Z"),
  data: { nested: [1, "two", { three: null }], emoji: "🎉" },
  ref: "123e4567-e89b-42d3-a456-426614174000",
  bytes: new Uint8Array([0, 1, 2, 253, 254, 255]),
};

const cases = LIBSQL_KINDS.map((kind) => ({ kind, driver: "native" as const })).concat([{ kind: "memory", driver: "client" as never }]);

describe.each(cases)(`values round-trip on libSQL $kind via $driver (${decoratorMode})`, ({ kind, driver }) => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = openLibsql(kind);
    if (driver === ("client" as string)) {
      const backend = new LibsqlBackend({ url: db.url, driver: "client" });
      db = { ...db, backend, close: () => backend.disconnect() };
    }
    Sample.configure(db.backend);
    await Sample.createTable();
  });
  afterEach(() => db.close());

  it("keeps every column type exact", async () => {
    const created = await Sample.create(full);
    const loaded = await Sample.findOrFail(created.id);
    for (const record of [created, loaded]) {
      expect(record.int).toBe(full.int);
      expect(record.big).toBe(full.big);
      expect(record.ratio).toBe(full.ratio);
      expect(record.price).toBe(full.price);
      expect(record.body).toBe(full.body);
      expect(record.code).toBe(full.code);
      expect(record.flag).toBe(false);
      expect(record.day).toEqual(full.day);
      expect(record.at).toEqual(full.at);
      expect(record.data).toEqual(full.data);
      expect(record.ref).toBe(full.ref);
      expect(record.bytes).toEqual(full.bytes);
      expect(record.isDirty()).toBe(false);
    }
  });

  it("keeps nulls and edge values", async () => {
    const empty = await Sample.findOrFail((await Sample.create({})).id);
    for (const key of Object.keys(full)) expect((empty as unknown as Record<string, unknown>)[key]).toBeNull();

    const edges = await Sample.create({
      big: -9223372036854775808n,
      int: 0,
      at: new Date(0),
      day: new Date("9999-12-31T00:00:00Z"),
      body: "",
      data: [],
      bytes: new Uint8Array(),
      flag: true,
    });
    const loaded = await Sample.findOrFail(edges.id);
    expect(loaded.big).toBe(-9223372036854775808n);
    expect(loaded.int).toBe(0);
    expect(loaded.at?.getTime()).toBe(0);
    expect(loaded.day?.toISOString()).toBe("9999-12-31T00:00:00.000Z");
    expect(loaded.body).toBe("");
    expect(loaded.data).toEqual([]);
    expect(loaded.bytes).toEqual(new Uint8Array());
    expect(loaded.flag).toBe(true);
  });

  it("refuses text with a NUL character instead of letting the driver cut it", async () => {
    await expect(Sample.create({ body: "a\u0000b" })).rejects.toThrow(/body: text contains the NUL character/);
    expect(await Sample.count()).toBe(0);
  });

  it("compares values by type in queries", async () => {
    await Sample.create({ big: 2n ** 62n, at: new Date("2020-01-01T00:00:00Z"), flag: true });
    await Sample.create({ big: 5n, at: new Date("2021-01-01T00:00:00Z"), flag: false });
    expect(await Sample.where({ big: gt(2n ** 61n) }).pluck("big")).toEqual([2n ** 62n]);
    expect(await Sample.where({ at: lt(new Date("2020-06-01T00:00:00Z")) }).count()).toBe(1);
    expect(await Sample.where({ flag: true }).count()).toBe(1);
    expect(await Sample.max("big")).toBe(2n ** 62n);
  });

  it("detects in-place JSON and byte changes", async () => {
    const s = await Sample.create({ data: { tags: ["a"] }, bytes: new Uint8Array([1]) });
    (s.data as { tags: string[] }).tags.push("b");
    s.bytes![0] = 9;
    expect(Object.keys(s.changes()).sort()).toEqual(["bytes", "data"]);
    await s.save();
    const loaded = await Sample.findOrFail(s.id);
    expect(loaded.data).toEqual({ tags: ["a", "b"] });
    expect(loaded.bytes).toEqual(new Uint8Array([9]));
    // The same through records read back from the database (their snapshot is taken lazily).
    (loaded.data as { tags: string[] }).tags.pop();
    loaded.bytes![0] = 7;
    loaded.at = new Date(0);
    expect(Object.keys(loaded.changes()).sort()).toEqual(["at", "bytes", "data"]);
    expect(loaded.changes()["bytes"]).toEqual([new Uint8Array([9]), new Uint8Array([7])]);
  });
});
