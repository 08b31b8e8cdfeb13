/**
 * What every ActiveRecord user reaches for: atomic counters, touch, update by
 * key, findMany, firstOrFail, row locks and relation paths checked by the
 * type system, on libSQL and PostgreSQL.
 */
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from "vitest";
import {
  ActiveRecord,
  belongsTo,
  column,
  ConfigurationError,
  hasMany,
  RecordNotFoundError,
  table,
  ValidationError,
  ArgumentError,
  type Backend,
  type RelationPath,
} from "../../src/index.ts";
import { BACKENDS } from "../support/backends.ts";
import { decoratorMode } from "../support/mode.ts";

@table("conv_articles")
class Article extends ActiveRecord {
  @column.id() id!: number;
  @column.text() title!: string;
  @column.integer({ default: 0 }) views!: number;
  @column.real({ default: 0 }) score!: number;
  @column.boolean({ guarded: true, default: false }) featured!: boolean;
  @column.updatedAt() updatedAt!: Date;
  @hasMany(() => Comment) comments!: Comment[];
}

@table("conv_comments")
class Comment extends ActiveRecord {
  @column.id() id!: number;
  @column.integer() articleId!: number;
  @column.text() body!: string;
  @belongsTo(() => Article) article!: Article;
}

@table("conv_jobs")
class Job extends ActiveRecord {
  @column.id() id!: number;
  @column.text() state!: string;
}

// Type-level expectations, checked by `npm run typecheck`.
export function typeChecks(): void {
  expectTypeOf<RelationPath<Article>>().toEqualTypeOf<"comments" | "comments.article" | "comments.article.comments" | "comments.article.comments.article">();
  // @ts-expect-error a misspelled relation is a compile error
  Article.with("coments");
  // @ts-expect-error so is a misspelled nested path
  Article.with("comments.autor");
  // @ts-expect-error increment takes an attribute name
  void new Article().increment("nope");
}

describe.each(BACKENDS)(`conveniences on $name (${decoratorMode})`, (fixture) => {
  let backend: Backend;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ backend, close } = await fixture.open());
    for (const model of [Article, Comment, Job]) model.configure(backend);
    for (const model of [Article, Comment, Job]) await model.createTable();
  });
  afterEach(async () => {
    for (const model of [Article, Comment, Job]) model.unconfigure();
    await close();
  });

  it("increment and decrement count in SQL: concurrent increments lose nothing", async () => {
    const article = await Article.create({ title: "hello" });
    const copies = await Promise.all(Array.from({ length: 10 }, () => Article.findOrFail(article.id)));
    await Promise.all(copies.map((copy) => copy.increment("views")));
    expect((await Article.findOrFail(article.id)).views).toBe(10);
    await article.increment("views", 5);
    expect(article.views).toBe(15);
    expect(article.isDirty()).toBe(false);
    await article.decrement("views", 2);
    expect(article.views).toBe(13);
    await article.increment("score", 0.5);
    expect(article.score).toBe(0.5);
    await expect(article.increment("title" as never)).rejects.toBeInstanceOf(ArgumentError);
    await expect(article.increment("views", 1.5)).rejects.toBeInstanceOf(ValidationError);
    expect(await Article.where({ title: "hello" }).increment("views", 7)).toBe(1);
    expect((await Article.findOrFail(article.id)).views).toBe(20);
  });

  it("increment keeps other unsaved changes unsaved, and a gone row is RecordNotFoundError", async () => {
    const article = await Article.create({ title: "before" });
    article.title = "after";
    await article.increment("views");
    expect(article.isDirty("title")).toBe(true);
    expect((await Article.findOrFail(article.id)).title).toBe("before");
    await Article.query().forceDeleteAll();
    await expect(article.increment("views")).rejects.toBeInstanceOf(RecordNotFoundError);
  });

  it("touch sets updatedAt and nothing else", async () => {
    const article = await Article.create({ title: "t" });
    const before = article.updatedAt.getTime();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await article.touch();
    expect(article.updatedAt.getTime()).toBeGreaterThan(before);
    expect((await Article.findOrFail(article.id)).updatedAt.getTime()).toBe(article.updatedAt.getTime());
    await expect(new Job().touch()).rejects.toBeInstanceOf(ConfigurationError);
  });

  it("update(key, attributes), findMany and firstOrFail", async () => {
    const [a, b, c] = await Article.insertMany([{ title: "a" }, { title: "b" }, { title: "c" }]);
    const updated = await Article.update(b!.id, { title: "B" });
    expect(updated.title).toBe("B");
    expect((await Article.findOrFail(b!.id)).title).toBe("B");
    await expect(Article.update(999, { title: "x" })).rejects.toBeInstanceOf(RecordNotFoundError);
    await expect(Article.update(a!.id, { featured: true })).rejects.toBeInstanceOf(ValidationError);

    const found = await Article.findMany([c!.id, 999, a!.id]);
    expect(found.map((r) => r.title)).toEqual(["c", "a"]);
    await expect(Article.findMany(["1" as never])).rejects.toBeInstanceOf(ValidationError);
    expect(await Article.findMany([])).toEqual([]);

    expect((await Article.firstOrFail({ title: "a" })).id).toBe(a!.id);
    await expect(Article.firstOrFail({ title: "zzz" })).rejects.toBeInstanceOf(RecordNotFoundError);
  });

  it("row locks: forUpdate().skipLocked() hands each job to one worker; refused where the dialect has none", async () => {
    await Job.insertMany([{ state: "queued" }, { state: "queued" }]);
    const claim = () => Job.where({ state: "queued" }).orderBy("id").limit(1).forUpdate().skipLocked();
    if (!backend.dialect.capabilities.rowLocks) {
      expect(() => claim().toSQL()).toThrow(ConfigurationError);
      await expect(claim().all()).rejects.toBeInstanceOf(ConfigurationError);
      return;
    }
    expect(claim().toSQL().sql).toMatch(/FOR UPDATE SKIP LOCKED$/);
    expect(Job.query().forShare().noWait().toSQL().sql).toMatch(/FOR SHARE NOWAIT$/);
    // Two transactions at once: while the first holds its row, the second skips it and takes the other.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let firstClaimed!: () => void;
    const claimed = new Promise<void>((resolve) => (firstClaimed = resolve));
    const first = Job.transaction(async () => {
      const [job] = await claim();
      firstClaimed();
      await held;
      return job!.id;
    });
    await claimed;
    const second = await Job.transaction(async () => (await claim())[0]!.id);
    release();
    expect(second).not.toBe(await first);
  });
});
