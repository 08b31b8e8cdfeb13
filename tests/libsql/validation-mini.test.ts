/**
 * EdgeRecord derives its schemas with zod/mini (tree-shakable); a column's own
 * `validate` may be written with zod/mini or with classic zod, side by side,
 * and messages stay English either way.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as zm from "zod/mini";
import { z } from "zod";
import { ActiveRecord, column, table, ValidationError } from "../../src/index.ts";
import { openLibsql, type TestDatabase } from "../support/libsql.ts";
import { decoratorMode } from "../support/mode.ts";

@table("mini_accounts")
class Account extends ActiveRecord {
  @column.id() id!: number;
  @column.text({ validate: zm.string().check(zm.minLength(3)) }) handle!: string;
  @column.text({ validate: z.string().email() }) email!: string;
}

describe(`validate with zod/mini and classic zod (${decoratorMode})`, () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = openLibsql("memory");
    Account.configure(db.backend);
    await Account.createTable();
  });
  afterEach(() => db.close());

  it("checks both kinds of schema and names each failing field in English", async () => {
    const error = (await Account.create({ handle: "ab", email: "nope" }).catch((e: unknown) => e)) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.issues.map((i) => i.field)).toEqual(["handle", "email"]);
    expect(error.issues[0]!.message).toMatch(/too small|at least 3/i);
    expect(error.issues[1]!.message).toMatch(/email/i);
    expect(await Account.count()).toBe(0);
  });

  it("accepts valid values through both", async () => {
    const account = await Account.create({ handle: "ann", email: "ann@example.com" });
    expect((await Account.findOrFail(account.id)).handle).toBe("ann");
    expect(Account.schema.safeParse({ handle: "ann", email: "ann@example.com" }).success).toBe(true);
    expect(Account.schema.safeParse({ handle: "a", email: "ann@example.com" }).success).toBe(false);
  });
});
