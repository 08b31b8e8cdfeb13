/**
 * Request-body schemas are zod objects whose `shape` is typed from the model,
 * so zod's own helpers (classic zod's methods, or the fields by name with
 * zod/mini) pick, omit and extend them with exact
 * inferred types (checked by the typecheck step), and a body parsed with the
 * result goes straight to `create`. Run on libSQL and PostgreSQL.
 */
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from "vitest";
import * as mini from "zod/mini";
import { z } from "zod";
import { ActiveRecord, column, table, type Backend } from "../../src/index.ts";
import { BACKENDS } from "../support/backends.ts";
import { decoratorMode } from "../support/mode.ts";

@table("rs_members")
class Member extends ActiveRecord {
  @column.id() id!: number;
  @column.text({ unique: true, validate: z.string().trim().toLowerCase().email() }) email!: string;
  @column.text({ nullable: true }) name!: string | null;
  @column.integer({ default: 0 }) age!: number;
  @column.boolean({ guarded: true, default: false }) isAdmin!: boolean;
  @column.datetime({ default: "now" }) createdAt!: Date;
}

// What an application writes: a sign-up body is two of the model's fields plus one of its own (classic zod's methods).
const signup = z.strictObject(Member.insertSchema().shape).pick({ email: true, name: true }).extend({ password: z.string().min(8) });
// With zod/mini (functions, no methods): the fields taken from the shape by name.
const { email, name } = Member.insertSchema().shape;
const miniSignup = mini.strictObject({ email, name, password: mini.string().check(mini.minLength(8)) });

// Type-level expectations, checked by `npm run typecheck`.
export function typeChecks(): void {
  type Insert = ReturnType<ReturnType<typeof Member.insertSchema<Member>>["parse"]>;
  expectTypeOf<Insert>().toEqualTypeOf<{ id?: number; email?: string; name?: string | null; age?: number; isAdmin?: boolean; createdAt?: Date }>();
  // A body may carry a date as ISO text (its toJSON() form); it parses to a Date.
  expectTypeOf<z.input<ReturnType<typeof Member.insertSchema<Member>>["shape"]["createdAt"]>>().toEqualTypeOf<Date | string | undefined>();
  expectTypeOf<z.output<ReturnType<typeof Member.insertSchema<Member>>["shape"]["createdAt"]>>().toEqualTypeOf<Date | undefined>();
  expectTypeOf<z.output<typeof signup>>().toEqualTypeOf<{ email?: string; name?: string | null; password: string }>();
  expectTypeOf<mini.output<typeof miniSignup>>().toEqualTypeOf<{ email?: string; name?: string | null; password: string }>();
  const omitted = z.strictObject(Member.updateSchema().shape).omit({ isAdmin: true, createdAt: true, id: true });
  expectTypeOf<z.output<typeof omitted>>().toEqualTypeOf<{ email?: string; name?: string | null; age?: number }>();
  expectTypeOf(Member.selectSchema().parse({})).toEqualTypeOf<{ id: number; email: string; name: string | null; age: number; isAdmin: boolean; createdAt: string }>();
  // @ts-expect-error pick names the model's attributes only
  z.strictObject(Member.insertSchema().shape).pick({ emial: true });
  const { password, ...attributes } = signup.parse({});
  expectTypeOf(password).toEqualTypeOf<string>();
  void Member.create(attributes);
}

describe.each(BACKENDS)(`request schemas with zod's helpers on $name (${decoratorMode})`, (fixture) => {
  let backend: Backend;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ backend, close } = await fixture.open());
    Member.configure(backend);
    await Member.createTable();
  });
  afterEach(async () => {
    Member.unconfigure();
    await close();
  });

  it("a picked and extended schema parses a request body that create() takes", async () => {
    const body = JSON.parse('{"email":" Ann@Example.com","name":"Ann","password":"correct horse"}') as unknown;
    const { password, ...attributes } = signup.parse(body);
    expect(password).toBe("correct horse");
    const ann = await Member.create(attributes);
    expect([ann.email, ann.name, ann.age, ann.isAdmin]).toEqual(["ann@example.com", "Ann", 0, false]);
    // What the picked schema left out, and what the model never takes from a client, is refused.
    expect(signup.safeParse({ email: "a@b.co", password: "12345678", age: 3 }).success).toBe(false);
    expect(signup.safeParse({ email: "a@b.co", password: "12345678", isAdmin: true }).success).toBe(false);
    expect(signup.safeParse({ email: "a@b.co", password: "short" }).success).toBe(false);
    const viaMini = miniSignup.parse({ email: "bob@example.com", password: "12345678" });
    expect(viaMini).toEqual({ email: "bob@example.com", password: "12345678" });
    expect(miniSignup.safeParse({ email: "b@x.co", password: "12345678", isAdmin: true }).success).toBe(false);
  });

  it("omit works on the update schema's shape", async () => {
    const ann = await Member.create({ email: "ann@example.com" });
    const profile = z.strictObject(Member.updateSchema().shape).omit({ email: true });
    ann.assign(profile.parse({ name: "Annie", age: 30 }));
    await ann.save();
    expect((await Member.findOrFail(ann.id)).name).toBe("Annie");
    expect(profile.safeParse({ email: "x@y.co" }).success).toBe(false);
  });
});
