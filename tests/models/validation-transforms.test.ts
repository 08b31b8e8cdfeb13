/**
 * A column's `validate` schema decides what is stored, not only whether it
 * may be: `.trim().toLowerCase()` on an email stores it trimmed and
 * lowercased, on every write path that validates, and the record in memory
 * holds what the row holds. A failing save leaves the record as it was, and
 * an output that is no value of the column is a ValidationError. Run on
 * libSQL and PostgreSQL.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { ActiveRecord, column, getModelMetadata, IntegrityError, table, ValidationError, type Backend } from "../../src/index.ts";
import { getModelValidation } from "../../src/model/validation.ts";
import { BACKENDS } from "../support/backends.ts";
import { decoratorMode } from "../support/mode.ts";

@table("vt_members")
class Member extends ActiveRecord {
  @column.id() id!: number;
  @column.text({ unique: true, validate: z.string().trim().toLowerCase().email() }) email!: string;
  @column.varchar(8, { nullable: true, validate: z.string().trim() }) handle!: string | null;
  @column.integer({ default: 0, validate: z.number().int().min(0) }) age!: number;
  @column.json({ nullable: true }) prefs!: unknown;
}

@table("vt_broken")
class Broken extends ActiveRecord {
  @column.id() id!: number;
  // A transform whose output is a number, for a text column.
  @column.text({ validate: z.string().transform((s) => s.length) }) name!: string;
  // A transform whose output outgrows the column.
  @column.varchar(4, { nullable: true, validate: z.string().transform((s) => s.padEnd(10, "!")) }) code!: string | null;
}

describe.each(BACKENDS)(`validate transforms on $name (${decoratorMode})`, (fixture) => {
  let backend: Backend;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ backend, close } = await fixture.open());
    for (const m of [Member, Broken]) m.configure(backend);
    for (const m of [Member, Broken]) await m.createTable();
  });
  afterEach(async () => {
    for (const m of [Member, Broken]) m.unconfigure();
    await close();
  });

  /** What the row holds, read with raw SQL (not through the model). */
  async function storedEmails(): Promise<string[]> {
    const rows = await Member.raw("SELECT email FROM vt_members ORDER BY id");
    return rows.map((r) => r["email"] as string);
  }

  it("create stores the schema's output, and the record holds it", async () => {
    const ann = await Member.create({ email: "  Ann@Example.COM ", handle: "  ann " });
    expect(ann.email).toBe("ann@example.com");
    expect(ann.handle).toBe("ann");
    expect(ann.isDirty()).toBe(false);
    expect(await storedEmails()).toEqual(["ann@example.com"]);
    expect((await Member.findOrFail(ann.id)).email).toBe("ann@example.com");
  });

  it("save of a loaded record and Model.update store the output too", async () => {
    const ann = await Member.create({ email: "ann@example.com" });
    ann.email = " ANNIE@Example.com";
    await ann.save();
    expect(ann.email).toBe("annie@example.com");
    expect(ann.isDirty()).toBe(false);
    const updated = await Member.update(ann.id, { email: "  A@B.CO " });
    expect(updated.email).toBe("a@b.co");
    expect(await storedEmails()).toEqual(["a@b.co"]);
    // The same address in other case is no change at all once normalised.
    updated.email = "A@B.CO";
    await updated.save();
    expect(updated.email).toBe("a@b.co");
    expect(updated.isDirty()).toBe(false);
  });

  it("insertMany, upsert and updateWhere store the output", async () => {
    const rows = await Member.insertMany([{ email: " X@Y.COM" }, { email: "z@y.com " }]);
    expect(rows.map((r) => r.email)).toEqual(["x@y.com", "z@y.com"]);
    expect(await Member.insertMany([{ email: " Q@Y.COM" }], { returning: false })).toBe(1);
    // The conflict is found on the normalised value.
    const [up] = await Member.upsert([{ email: "X@Y.com", age: 40 }], { uniqueBy: ["email"], update: ["age"] });
    expect([up!.email, up!.age]).toEqual(["x@y.com", 40]);
    expect(await Member.updateWhere({ email: "z@y.com" }, { email: " ZED@Y.COM " })).toBe(1);
    expect(await storedEmails()).toEqual(["x@y.com", "zed@y.com", "q@y.com"]);
  });

  it("a failing save leaves the record unchanged: validation fails, or the write does", async () => {
    const draft = new Member().assign({ email: "  Bob@Example.COM ", age: -1 });
    await expect(draft.save()).rejects.toThrow(ValidationError);
    expect([draft.email, draft.age, draft.isPersisted]).toEqual(["  Bob@Example.COM ", -1, false]);

    await Member.create({ email: "bob@example.com" });
    const twin = new Member().assign({ email: " BOB@example.com" });
    await expect(twin.save()).rejects.toThrow(IntegrityError);
    expect([twin.email, twin.isPersisted]).toEqual([" BOB@example.com", false]);

    const bob = await Member.firstOrFail({ email: "bob@example.com" });
    bob.email = " NEW@example.com ";
    bob.age = -5;
    await expect(bob.save()).rejects.toThrow(/age/);
    expect(bob.email).toBe(" NEW@example.com ");
    expect(await storedEmails()).toEqual(["bob@example.com"]);
  });

  it("an output that is no value of the column is a ValidationError naming model, column and value", async () => {
    const error = (await Broken.create({ name: "Ann" }).catch((e: unknown) => e)) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.issues.map((i) => i.field)).toEqual(["name"]);
    expect(error.message).toMatch(/Broken is invalid: name: validate turned "Ann" into number 3, not a valid text value for Broken\.name/);
    const long = (await Broken.insertMany([{ name: "x", code: "ab" }]).catch((e: unknown) => e)) as ValidationError;
    expect(long.issues.map((i) => i.field)).toEqual(["[0].name", "[0].code"]);
    expect(long.message).toMatch(/"ab" into "ab!+".*Broken\.code/);
    expect(await Broken.count()).toBe(0);
  });

  it("values no schema changes stay the very values given (the fast path replaces nothing)", async () => {
    const validation = getModelValidation(getModelMetadata(Member));
    const prefs = { theme: "dark" };
    const values: Record<string, unknown> = { email: "ann@example.com", handle: null, age: 3, prefs };
    expect(validation.check(values)).toBeUndefined();
    expect(values["prefs"]).toBe(prefs);
    const trimmed: Record<string, unknown> = { email: " Ann@example.com", age: 3 };
    expect(validation.check(trimmed, ["email", "age"])).toEqual({ email: " Ann@example.com" });
    expect(trimmed["email"]).toBe("ann@example.com");
  });
});
