import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ValidationError } from "../../src/index.ts";
import { openLibsql, type TestDatabase } from "../support/libsql.ts";
import { decoratorMode } from "../support/mode.ts";
import { Sample, User } from "../support/models.ts";

describe(`validation with zod (${decoratorMode})`, () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = openLibsql("memory");
    User.configure(db.backend);
    Sample.configure(db.backend);
    await User.createTable();
    await Sample.createTable();
  });
  afterEach(() => db.close());

  it("lists every failing field and writes nothing", async () => {
    const error = await User.create({ email: "not-an-email", age: 1.5, active: "yes" as never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const issues = (error as ValidationError).issues;
    expect(issues.map((i) => i.field)).toEqual(["email", "age", "active"]);
    expect((error as ValidationError).message).toMatch(/^User is invalid: email: .*email.*; age: .*; active: /);
    expect(await User.count()).toBe(0);
  });

  it("requires non-nullable attributes without a default", async () => {
    const error = (await User.create({ name: "No email" }).catch((e: unknown) => e)) as ValidationError;
    expect(error.issues).toEqual([{ field: "email", message: "is required" }]);
  });

  it("validates only changed attributes on update, and keeps the row as it was on failure", async () => {
    const ann = await User.create({ email: "ann@example.com", name: "Ann" });
    ann.email = "broken";
    ann.name = "Annie";
    await expect(ann.save()).rejects.toThrow(ValidationError);
    const stored = await User.findOrFail(ann.id);
    expect([stored.email, stored.name]).toEqual(["ann@example.com", "Ann"]);
    await expect(User.updateWhere({ id: ann.id }, { age: -0.5 })).rejects.toThrow(/age/);
  });

  it("checks type-derived rules: varchar length, uuid, decimal", async () => {
    const error = (await Sample.create({ code: "x".repeat(21), ref: "not-a-uuid", price: "12abc" }).catch((e: unknown) => e)) as ValidationError;
    expect(error.issues.map((i) => i.field)).toEqual(["price", "code", "ref"]);
  });

  it("validates every row of insertMany before writing any", async () => {
    const error = (await User.insertMany([{ email: "ok@example.com" }, { email: "bad" }, { email: "fine@example.com", age: "x" as never }]).catch((e: unknown) => e)) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.issues.map((i) => i.field)).toEqual(["[1].email", "[2].age"]);
    expect(await User.count()).toBe(0);
  });

  it("exposes the derived schema for request bodies", () => {
    const body = User.schema.safeParse({ email: "ann@example.com", name: "Ann" });
    expect(body.success).toBe(true);
    const bad = User.schema.safeParse({ email: "nope", age: "3" });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path[0]).sort()).toEqual(["age", "email"]);
  });
});
