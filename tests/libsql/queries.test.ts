import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, ArgumentError, between, eq, fn, gt, gte, isNotNull, isNull, like, lt, lte, ne, not, notOneOf, oneOf, or, sql, UnknownColumnError, ValidationError } from "../../src/index.ts";
import { openLibsql, type TestDatabase } from "../support/libsql.ts";
import { decoratorMode } from "../support/mode.ts";
import { User } from "../support/models.ts";

describe(`queries on libSQL (${decoratorMode})`, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = openLibsql("memory");
    User.configure(db.backend);
    await User.createTable();
    await User.insertMany([
      { email: "ann@example.com", name: "Ann", age: 31 },
      { email: "abe@example.com", name: "Abe", age: 45, active: false },
      { email: "bob@example.com", name: "Bob", age: 22 },
      { email: "cat@example.com", name: null, age: 31 },
    ]);
  });
  afterAll(() => db.close());

  const emails = (users: User[]) => users.map((u) => u.email.slice(0, 3));

  it.each([
    ["{ age: 31 }", { age: 31 }, ["ann", "cat"]],
    ["eq", { age: eq(31) }, ["ann", "cat"]],
    ["ne", { age: ne(31) }, ["abe", "bob"]],
    ["gt", { age: gt(31) }, ["abe"]],
    ["gte", { age: gte(31) }, ["ann", "abe", "cat"]],
    ["lt", { age: lt(31) }, ["bob"]],
    ["lte", { age: lte(31) }, ["ann", "bob", "cat"]],
    ["oneOf", { age: oneOf([22, 45]) }, ["abe", "bob"]],
    ["oneOf([])", { age: oneOf([]) }, []],
    ["notOneOf", { age: notOneOf([22, 45]) }, ["ann", "cat"]],
    ["notOneOf([])", { age: notOneOf([]) }, ["ann", "abe", "bob", "cat"]],
    ["like", { name: like("A%") }, ["ann", "abe"]],
    ["between", { age: between(30, 40) }, ["ann", "cat"]],
    ["null", { name: null }, ["cat"]],
    ["isNull", { name: isNull() }, ["cat"]],
    ["isNotNull", { name: isNotNull() }, ["ann", "abe", "bob"]],
    ["ne(null)", { name: ne(null) }, ["ann", "abe", "bob"]],
    ["and of two operators", and({ age: gte(30) }, { age: lt(40) }), ["ann", "cat"]],
    ["boolean", { active: false }, ["abe"]],
    ["or", or({ age: 22 }, { name: "Abe" }), ["abe", "bob"]],
    ["and", and({ age: 31 }, { name: isNotNull() }), ["ann"]],
    ["not", not({ age: 31 }), ["abe", "bob"]],
    ["and with a nested or", and({ age: 31 }, or({ name: "Ann" }, { name: null })), ["ann", "cat"]],
  ] as const)("where %s", async (_label, where, expected) => {
    expect(emails(await User.where(where as never).orderBy("id").all())).toEqual(expected);
  });

  it("chains where, orWhere, whereNot, order, limit and offset immutably", async () => {
    const base = User.where({ age: gte(22) });
    const page = base.orderBy("age", "desc").orderBy("id").limit(2).offset(1);
    expect(emails(await page.all())).toEqual(["ann", "cat"]);
    expect(emails(await base.orderBy("id").all())).toEqual(["ann", "abe", "bob", "cat"]);
    expect(emails(await User.where({ age: 22 }).orWhere({ age: 45 }).orderBy("id"))).toEqual(["abe", "bob"]);
    expect(emails(await User.query().whereNot({ age: 31 }).orderBy("id"))).toEqual(["abe", "bob"]);
    expect(emails(await User.query().orderBy("id").offset(3).all())).toEqual(["cat"]);
  });

  it("aggregates, counts, plucks and checks existence", async () => {
    expect(await User.count()).toBe(4);
    expect(await User.count({ age: 31 })).toBe(2);
    expect(await User.where({ age: 31 }).limit(1).count()).toBe(2);
    expect(await User.exists({ name: "Bob" })).toBe(true);
    expect(await User.exists({ name: "Zed" })).toBe(false);
    expect(await User.sum("age")).toBe(129);
    expect(await User.avg("age")).toBe(32.25);
    expect(await User.min("age")).toBe(22);
    expect(await User.max("name")).toBe("Bob");
    expect(await User.where({ age: 99 }).sum("age")).toBeNull();
    expect(await User.orderBy("age").pluck("email")).toEqual(["bob@example.com", "ann@example.com", "cat@example.com", "abe@example.com"]);
    expect(await User.query().select("age").distinct().orderBy("age").pluck("age")).toEqual([22, 31, 45]);
  });

  it("groups with aggregates and having", async () => {
    const rows = await User.query()
      .select("age", fn.count().as("n"), fn.max("name").as("last"))
      .groupBy("age")
      .having(sql`COUNT(*) >= ${1}`)
      .orderBy("age")
      .rows();
    expect(rows).toEqual([
      { age: 22, n: 1, last: "Bob" },
      { age: 31, n: 2, last: "Ann" },
      { age: 45, n: 1, last: "Abe" },
    ]);
    const twice = await User.query().select("age", fn.count().as("n")).groupBy("age").having(sql`COUNT(*) > ${1}`).rows();
    expect(twice).toEqual([{ age: 31, n: 2 }]);
  });

  it("selects some attributes into records, or plain rows", async () => {
    const [ann] = await User.query().select("id", "email").where({ name: "Ann" }).all();
    expect(ann!.email).toBe("ann@example.com");
    // @ts-expect-error name was not selected: the record's type has no `name` either
    expect(ann!.name).toBeUndefined();
    const rows = await User.query().select("email", "createdAt").where({ name: "Bob" }).rows();
    expect(rows[0]!["createdAt"]).toBeInstanceOf(Date);
  });

  it("awaits a query directly", async () => {
    const users = await User.where({ age: 22 });
    expect(emails(users)).toEqual(["bob"]);
  });

  it("runs raw SQL with bound parameters, as rows, results or records", async () => {
    expect(await User.raw(sql`SELECT email FROM users WHERE age = ${45}`)).toEqual([{ email: "abe@example.com" }]);
    expect(await User.raw("SELECT COUNT(*) AS n FROM users WHERE age > ? AND name LIKE '%?%'", [30])).toEqual([{ n: 0 }]);
    const records = await User.findBySql(sql`SELECT * FROM users WHERE ${sql`age = ${22}`}`);
    expect(records[0]).toBeInstanceOf(User);
    expect(records[0]!.createdAt).toBeInstanceOf(Date);
    const result = await User.execute("UPDATE users SET age = age + 1 WHERE age = ?", [31]);
    expect(result.affectedRows).toBe(2);
    await User.execute("UPDATE users SET age = age - 1 WHERE age = ?", [32]);
    await expect(User.raw("SELECT ?", [])).rejects.toThrow(/1 "\?" placeholder\(s\) but 0 parameter/);
  });

  it("rejects unknown attributes before any SQL runs, naming model and column", async () => {
    const statements: string[] = [];
    const execute = db.backend.execute.bind(db.backend);
    db.backend.execute = (q) => (statements.push(q.sql), execute(q));
    try {
      expect(() => User.where({ nope: 1 } as never)).toThrow(UnknownColumnError);
      expect(() => User.where({ nope: 1 } as never)).toThrow('User has no column "nope"');
      expect(() => User.orderBy("password" as never)).toThrow('User has no column "password"');
      expect(() => User.query().select("id", "secret" as never)).toThrow('User has no column "secret"');
      expect(() => User.query().groupBy("x" as never)).toThrow(UnknownColumnError);
      await expect(User.pluck("x" as never)).rejects.toThrow(UnknownColumnError);
      expect(() => User.where({ age: { $regex: "x" } } as never)).toThrow(new ValidationError("User", [{ field: "age", message: "expected an integer, got an object (Object) (operators are functions: gte(1), oneOf([...]))" }]));
      expect(() => User.where({ $nor: [] } as never)).toThrow('User has no column "$nor"');
      expect(() => User.where({ age: oneOf(5 as never) })).toThrow("oneOf() takes an array");
      expect(() => User.where({ age: [22, 45] } as never)).toThrow(ValidationError);
      expect(() => User.orderBy("age", "sideways" as never)).toThrow(/direction/);
      expect(() => User.query().limit(-1)).toThrow(ArgumentError);
      expect(() => new User().assign({ bogus: 1 } as never)).toThrow('User has no column "bogus"');
      expect(() => User.where({ age: gt("many" as never) })).toThrow("age: expected an integer, got \"many\"");
      expect(statements).toEqual([]);
    } finally {
      db.backend.execute = execute;
    }
  });
});
