import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ActiveRecord, afterCreate, beforeCreate, beforeDelete, column, StaleRecordError, table, ValidationError, type Backend } from "../../src/index.ts";
import { BACKENDS } from "../support/backends.ts";
import { Author, countStatements, Post, setUpBlog, Tag } from "../support/blog.ts";
import { decoratorMode } from "../support/mode.ts";

const events: string[] = [];

@table("audited")
class Audited extends ActiveRecord {
  @column.id() id!: number;
  @column.text() name!: string;
  @column.text({ nullable: true }) slug!: string | null;

  @beforeCreate()
  makeSlug() {
    events.push("beforeCreate");
    this.slug = this.name.toLowerCase().replace(/\s+/g, "-");
  }

  @afterCreate()
  async audit() {
    events.push("afterCreate");
    if (this.name === "explode after") throw new Error("after-hook failed");
    await Tag.create({ name: `audit:${this.name}` });
  }

  @beforeDelete()
  guard() {
    if (this.name === "keep") throw new Error("this one stays");
  }
}

// Registered once: static hooks stay on the class for the life of the program.
Audited.hook("beforeValidate", (r) => void events.push(`beforeValidate:${r.name}`));
Audited.hook("afterSave", () => void events.push("afterSave"));
Audited.hook("beforeSave", (r) => {
  if (r.name === "bad") throw new Error("refused");
});

describe.each(BACKENDS)(`lifecycle on $name (${decoratorMode})`, (fixture) => {
  let backend: Backend;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ backend, close } = await fixture.open());
    await setUpBlog(backend);
    Audited.configure(backend);
    await Audited.createTable();
    events.length = 0;
    await Author.create({ name: "Ann" });
  });
  afterEach(() => close());

  it("runs hooks in order and lets them change what is written", async () => {
    const record = await Audited.create({ name: "Hello World" });
    expect(events).toEqual(["beforeValidate:Hello World", "beforeCreate", "afterCreate", "afterSave"]);
    expect((await Audited.findOrFail(record.id)).slug).toBe("hello-world");
    expect(await Tag.count({ name: "audit:Hello World" })).toBe(1);
    const post = await Post.create({ authorId: 1, title: "  padded  " });
    expect(post.title).toBe("padded");
  });

  it("a before hook that throws aborts with nothing written", async () => {
    await expect(Audited.create({ name: "bad" })).rejects.toThrow("refused");
    expect(await Audited.count()).toBe(0);
    const keep = await Audited.create({ name: "keep" });
    await expect(keep.delete()).rejects.toThrow("this one stays");
    expect(await Audited.count({ name: "keep" })).toBe(1);
  });

  it("an after hook that throws rolls the whole save back, inside an outer transaction too", async () => {
    await expect(Audited.create({ name: "explode after" })).rejects.toThrow("after-hook failed");
    expect(await Audited.count()).toBe(0);
    await Audited.transaction(async () => {
      await Audited.create({ name: "kept" });
      await expect(Audited.create({ name: "explode after" })).rejects.toThrow("after-hook failed");
    });
    expect(await Audited.pluck("name")).toEqual(["kept"]);
    expect(await Tag.pluck("name")).toEqual(["audit:kept"]);
  });

  it("saves a model without hooks in one statement, with none when nothing changed", async () => {
    const { statements } = await countStatements(backend, async () => {
      const author = await Author.create({ name: "Solo" });
      await author.save();
    });
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/^INSERT INTO "authors" .* RETURNING/);
  });

  it("maintains createdAt and updatedAt", async () => {
    const post = await Post.create({ authorId: 1, title: "T" });
    expect(post.createdAt).toBeInstanceOf(Date);
    expect(post.updatedAt.getTime()).toBe(post.createdAt.getTime());
    const created = post.createdAt.getTime();
    await new Promise((r) => setTimeout(r, 5));
    post.title = "T2";
    await post.save();
    expect(post.createdAt.getTime()).toBe(created);
    expect(post.updatedAt.getTime()).toBeGreaterThan(created);
    expect((await Post.findOrFail(post.id)).updatedAt.getTime()).toBe(post.updatedAt.getTime());
    await Post.updateWhere({ id: post.id }, { title: "T3" });
    expect((await Post.findOrFail(post.id)).updatedAt.getTime()).toBeGreaterThanOrEqual(post.updatedAt.getTime());
  });

  it("soft-deletes: hidden by default, visible with withTrashed, restorable, force-deletable", async () => {
    const [a, b] = await Post.insertMany([{ authorId: 1, title: "a" }, { authorId: 1, title: "b" }]);
    expect(await a!.delete()).toBe(true);
    expect(a!.isTrashed).toBe(true);
    expect(await Post.find(a!.id)).toBeNull();
    expect(await Post.pluck("title")).toEqual(["b"]);
    expect(await Post.count()).toBe(1);
    expect(await Post.withTrashed().orderBy("title").pluck("title")).toEqual(["a", "b"]);
    expect(await Post.onlyTrashed().pluck("title")).toEqual(["a"]);
    expect(await Author.whereHas("posts").count()).toBe(1);
    await a!.restore();
    expect(await Post.count()).toBe(2);
    expect(await Post.deleteWhere({ title: "b" })).toBe(1);
    expect(await Post.onlyTrashed().pluck("title")).toEqual(["b"]);
    await b!.reload();
    expect(await b!.forceDelete()).toBe(true);
    expect(await Post.withTrashed().count()).toBe(1);
  });

  it("optimistic locking: a stale update raises StaleRecordError and writes nothing", async () => {
    const post = await Post.create({ authorId: 1, title: "v0" });
    expect(post.version).toBe(0);
    const first = await Post.findOrFail(post.id);
    const second = await Post.findOrFail(post.id);
    first.title = "first wins";
    await first.save();
    expect(first.version).toBe(1);
    second.title = "second loses";
    const error = await second.save().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StaleRecordError);
    expect((error as StaleRecordError).message).toMatch(/Post 1 was changed .* \(expected version 0\)/);
    expect(second.version).toBe(0);
    const stored = await Post.findOrFail(post.id);
    expect([stored.title, stored.version]).toEqual(["first wins", 1]);
    await expect(second.delete()).rejects.toThrow(StaleRecordError);
    await second.reload();
    second.title = "after reload";
    await second.save();
    expect(second.version).toBe(2);
  });

  it("named scopes, pagination", async () => {
    await Post.insertMany(Array.from({ length: 7 }, (_, i) => ({ authorId: 1, title: `p${i}`, status: i % 2 ? "published" as const : "draft" as const })));
    expect(await Post.query().apply(Post.published).count()).toBe(3);
    expect(await Post.query().apply(Post.published).apply(Post.titled, "p1").pluck("title")).toEqual(["p1"]);
    const page = await Post.query().orderBy("id").paginate(2, 3);
    expect(page.rows.map((p) => p.title)).toEqual(["p3", "p4", "p5"]);
    expect([page.total, page.page, page.perPage, page.lastPage]).toEqual([7, 2, 3, 3]);
    expect((await Post.query().apply(Post.published).paginate(1, 10)).lastPage).toBe(1);
    await expect(Post.paginate(0, 10)).rejects.toThrow(/pages count from 1/);
  });

  it("firstOrCreate, updateOrCreate and upsert on a unique key", async () => {
    const ts = await Tag.firstOrCreate({ name: "ts" });
    expect(await Tag.firstOrCreate({ name: "ts" })).toMatchObject({ id: ts.id });
    expect(await Tag.count()).toBe(1);
    const post = await Post.updateOrCreate({ title: "x" }, { authorId: 1, status: "draft" });
    const again = await Post.updateOrCreate({ title: "x" }, { status: "published" });
    expect(again.id).toBe(post.id);
    expect((await Post.findOrFail(post.id)).status).toBe("published");

    const tags = await Tag.upsert([{ name: "ts" }, { name: "sql" }], { uniqueBy: ["name"] });
    expect(tags.map((t) => t.name).sort()).toEqual(["sql", "ts"]);
    expect(await Tag.count()).toBe(2);
    const authors = await Author.upsert([{ id: 1, name: "Ann Renamed" }, { id: 50, name: "New" }], { uniqueBy: ["id"], update: ["name"] });
    expect(authors.map((a) => a.name).sort()).toEqual(["Ann Renamed", "New"]);
    expect(await Author.count()).toBe(2);
  });

  it("firstOrCreate survives two callers racing on the same unique key", async () => {
    const [x, y] = await Promise.all([Tag.firstOrCreate({ name: "race" }), Tag.firstOrCreate({ name: "race" })]);
    expect(x.id).toBe(y.id);
    expect(await Tag.count({ name: "race" })).toBe(1);
    await Tag.transaction(async () => {
      expect((await Tag.firstOrCreate({ name: "race" })).id).toBe(x.id);
      expect((await Tag.firstOrCreate({ name: "fresh" })).name).toBe("fresh");
    });
  });

  it("validates enum columns", async () => {
    const error = await Post.create({ authorId: 1, title: "t", status: "archived" as never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues[0]!.field).toBe("status");
    await expect(Post.execute("INSERT INTO posts (author_id, title, status, created_at, updated_at, version) VALUES (1, 't', 'archived', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z', 0)")).rejects.toThrow(/CHECK|check/);
  });
});
