import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConnectionError, IntegrityError, QueryError, sql, ValidationError } from "../../src/index.ts";
import { LibsqlBackend } from "../../src/backend/libsql/index.ts";
import { openLibsql, type TestDatabase } from "../support/libsql.ts";
import { decoratorMode } from "../support/mode.ts";
import { User } from "../support/models.ts";
import { and, between, contains, eq, gte, lte, ne, notOneOf, oneOf, startsWith } from "../../src/index.ts";

const INJECTIONS = [
  "' OR 1=1 --",
  "'; DROP TABLE users; --",
  '" OR ""="',
  "a'); DELETE FROM users; --",
  "/* comment */ x",
  "100%_literal\\",
  "Robert'); DROP TABLE students;--",
];

describe(`errors and hostile input on libSQL (${decoratorMode})`, () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = openLibsql("file");
    User.configure(db.backend);
    await User.createTable();
  });
  afterEach(() => db.close());

  it("stores and matches injection strings literally through every operator", async () => {
    for (const [i, text] of INJECTIONS.entries()) {
      await User.create({ email: `u${i}@example.com`, name: text, age: i });
    }
    for (const [i, text] of INJECTIONS.entries()) {
      expect((await User.findBy({ name: text }))?.age).toBe(i);
      expect(await User.where({ name: eq(text) }).pluck("age")).toEqual([i]);
      expect(await User.where({ name: ne(text) }).count()).toBe(INJECTIONS.length - 1);
      expect(await User.where({ name: oneOf([text, "zzz"]) }).pluck("age")).toEqual([i]);
      expect(await User.where({ name: notOneOf([text]) }).count()).toBe(INJECTIONS.length - 1);
      expect(await User.where({ name: startsWith(text) }).pluck("age")).toEqual([i]);
      expect(await User.where({ name: contains(text) }).pluck("age")).toEqual([i]);
      expect(await User.where({ name: between(text, text) }).pluck("age")).toEqual([i]);
      expect(await User.where(and({ name: gte(text) }, { name: lte(text) })).pluck("age")).toEqual([i]);
      expect(await User.raw(sql`SELECT age FROM users WHERE name = ${text}`)).toEqual([{ age: i }]);
    }
    const ann = await User.findOrFail(1);
    ann.name = INJECTIONS[1]!;
    await ann.save();
    expect(await User.count()).toBe(INJECTIONS.length);
    expect(await User.tableExists()).toBe(true);
  });

  it("maps a unique violation to IntegrityError naming table and column, with the SQL", async () => {
    await User.create({ email: "ann@example.com" });
    const error = (await User.create({ email: "ann@example.com" }).catch((e: unknown) => e)) as IntegrityError;
    expect(error).toBeInstanceOf(IntegrityError);
    expect(error.kind).toBe("unique");
    expect(error.table).toBe("users");
    expect(error.column).toBe("email");
    expect(error.sql).toMatch(/^INSERT INTO "users"/);
    expect(error.params).toContain("ann@example.com");
    expect(error.message).not.toContain("ann@example.com");
    expect(error.cause).toBeInstanceOf(Error);
  });

  it("maps NOT NULL from raw SQL and syntax errors to QueryError", async () => {
    const notNull = (await User.execute("INSERT INTO users (email, age, active, created_at) VALUES (NULL, 1, 1, 'x')").catch((e: unknown) => e)) as IntegrityError;
    expect(notNull.kind).toBe("not_null");
    expect(notNull.column).toBe("email");
    const syntax = (await User.raw("SELEC nonsense").catch((e: unknown) => e)) as QueryError;
    expect(syntax).toBeInstanceOf(QueryError);
    expect(syntax.sql).toBe("SELEC nonsense");
  });

  it("leaves the table as it was when insertMany fails part-way", async () => {
    await User.create({ email: "taken@example.com" });
    const rows = Array.from({ length: 5000 }, (_, i) => ({ email: `u${i}@example.com`, age: i }));
    rows[4321] = { email: "taken@example.com", age: 1 };
    // 5000 rows x 5 columns is past one statement's parameter budget: several statements, one transaction.
    await expect(User.insertMany(rows)).rejects.toThrow(IntegrityError);
    expect(await User.count()).toBe(1);
    const ok = await User.insertMany(rows.filter((_, i) => i !== 4321), { returning: false });
    expect(ok).toBe(4999);
  });

  it("a missing database directory is a ConnectionError that names the url", async () => {
    const backend = new LibsqlBackend({ url: "file:/nonexistent-dir/for/sure/app.db" });
    const error = (await backend.ping().catch((e: unknown) => e)) as ConnectionError;
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toContain("/nonexistent-dir/for/sure/app.db");
  });

  it("a remote url never shows its token or query string in errors", async () => {
    const backend = new LibsqlBackend({ url: "http://127.0.0.1:9/db?authToken=s3cret", authToken: "s3cret" });
    const error = (await backend.ping().catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).not.toContain("s3cret");
  });

  it("keeps ValidationError apart from database errors", async () => {
    const error = await User.create({ email: "x" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).not.toBeInstanceOf(IntegrityError);
  });
});
