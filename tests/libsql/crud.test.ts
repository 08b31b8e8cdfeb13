import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ActiveRecord, RecordNotFoundError } from "../../src/index.ts";
import { LIBSQL_KINDS, openLibsql, type TestDatabase } from "../support/libsql.ts";
import { decoratorMode } from "../support/mode.ts";
import { User } from "../support/models.ts";

describe.each(LIBSQL_KINDS)(`records on libSQL %s (${decoratorMode} decorators)`, (kind) => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = openLibsql(kind);
    User.configure(db.backend);
    await User.createTable();
  });
  afterEach(() => db.close());

  it("creates with defaults, ids and RETURNING values", async () => {
    const before = Date.now();
    const ann = await User.create({ email: "ann@example.com", name: "Ann" });
    expect(ann).toBeInstanceOf(User);
    expect(ann.id).toBe(1);
    expect(ann.age).toBe(0);
    expect(ann.active).toBe(true);
    expect(ann.createdAt).toBeInstanceOf(Date);
    expect(ann.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(ann.isPersisted).toBe(true);
    expect(ann.isDirty()).toBe(false);
    const bob = await User.create({ email: "bob@example.com", name: null, age: 41 });
    expect(bob.id).toBe(2);
  });

  it("finds by key, by attributes, or fails naming the model and key", async () => {
    await User.create({ email: "ann@example.com", name: "Ann", age: 30 });
    const found = await User.find(1);
    expect(found?.email).toBe("ann@example.com");
    expect(found?.createdAt).toBeInstanceOf(Date);
    expect(await User.find(99)).toBeNull();
    expect((await User.findBy({ name: "Ann" }))?.id).toBe(1);
    expect(await User.findBy({ name: "Nobody" })).toBeNull();
    await expect(User.findOrFail(99)).rejects.toThrow(RecordNotFoundError);
    await expect(User.findOrFail(99)).rejects.toThrow("User not found: 99");
  });

  it("updates only changed columns, and runs nothing when nothing changed", async () => {
    const ann = await User.create({ email: "ann@example.com", name: "Ann" });
    const statements: string[] = [];
    const execute = db.backend.execute.bind(db.backend);
    db.backend.execute = (q) => {
      statements.push(q.sql);
      return execute(q);
    };
    await ann.save();
    expect(statements).toEqual([]);

    ann.name = "Annie";
    expect(ann.isDirty()).toBe(true);
    expect(ann.isDirty("name")).toBe(true);
    expect(ann.isDirty("email")).toBe(false);
    expect(ann.changes()).toEqual({ name: ["Ann", "Annie"] });
    await ann.save();
    expect(statements).toEqual(['UPDATE "users" SET "name" = ? WHERE "id" = ?']);
    expect(ann.isDirty()).toBe(false);
    expect((await User.find(ann.id))?.name).toBe("Annie");
  });

  it("tracks in-place changes to dates", async () => {
    const ann = await User.create({ email: "ann@example.com" });
    ann.createdAt.setUTCFullYear(2001);
    expect(ann.isDirty("createdAt")).toBe(true);
    await ann.save();
    expect((await User.find(ann.id))?.createdAt.getUTCFullYear()).toBe(2001);
  });

  it("reloads, discarding unsaved changes, and deletes", async () => {
    const ann = await User.create({ email: "ann@example.com", name: "Ann" });
    await User.updateWhere({ id: ann.id }, { name: "Changed elsewhere" });
    ann.age = 99;
    await ann.reload();
    expect(ann.name).toBe("Changed elsewhere");
    expect(ann.age).toBe(0);
    expect(ann.isDirty()).toBe(false);

    expect(await ann.delete()).toBe(true);
    expect(ann.isPersisted).toBe(false);
    expect(await User.find(ann.id)).toBeNull();
    expect(await ann.delete()).toBe(false);
    await expect(ann.reload()).rejects.toThrow(RecordNotFoundError);
  });

  it("saving a record whose row is gone says so", async () => {
    const ann = await User.create({ email: "ann@example.com" });
    await User.deleteWhere({ id: ann.id });
    ann.name = "ghost";
    await expect(ann.save()).rejects.toThrow(RecordNotFoundError);
  });

  it("serialises to JSON with ISO dates", async () => {
    const ann = await User.create({ email: "ann@example.com", name: "Ann" });
    const json = JSON.parse(JSON.stringify(ann));
    expect(json).toEqual({
      id: 1,
      email: "ann@example.com",
      name: "Ann",
      age: 0,
      active: true,
      createdAt: ann.createdAt.toISOString(),
    });
  });

  it("bulk-inserts in one statement and returns records", async () => {
    const users = await User.insertMany([
      { email: "a@example.com", age: 20 },
      { email: "b@example.com", age: 30, name: "B" },
    ]);
    expect(users.map((u) => [u.id, u.email, u.age, u.name])).toEqual([
      [1, "a@example.com", 20, null],
      [2, "b@example.com", 30, "B"],
    ]);
    expect(await User.insertMany([{ email: "c@example.com" }], { returning: false })).toBe(1);
    expect(await User.count()).toBe(3);
  });

  it("creates and drops tables and indexes from metadata", async () => {
    expect(await User.tableExists()).toBe(true);
    const indexes = await User.raw("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'users' AND name NOT LIKE 'sqlite_%' ORDER BY name");
    expect(indexes.map((r) => r["name"])).toEqual(["users_age_idx", "users_name_age_idx"]);
    const name = await User.createIndex(["email", "age"], { unique: true });
    expect(name).toBe("users_email_age_key");
    await User.dropIndex(name);
    await User.dropTable();
    expect(await User.tableExists()).toBe(false);
    await User.createTable({ ifNotExists: true });
    await User.createTable({ ifNotExists: true });
    expect(await User.tableExists()).toBe(true);
  });

  it("binds every model through ActiveRecord.configure unless a model has its own binding", async () => {
    class Local extends ActiveRecord {}
    expect(() => Local.backend).toThrow(/Local is not bound to a database: call Local.configure/);
    ActiveRecord.configure(db.backend);
    expect(Local.backend).toBe(db.backend);
    expect(User.backend).toBe(db.backend);
    ActiveRecord.unconfigure();
    expect(() => Local.backend).toThrow(/not bound/);
  });
});
