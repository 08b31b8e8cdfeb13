/**
 * Types that guide: select() narrows the records to the selected attributes,
 * rows() after select(..., fn.count().as("n")) is typed with the aliases, and
 * a model's query type is reachable from its class (QueryOf); checked by the
 * typecheck step, and the same values checked at run time on libSQL and
 * PostgreSQL.
 */
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from "vitest";
import { ActiveRecord, column, fn, hasMany, belongsTo, table, type Backend, type ModelQuery, type QueryOf } from "../../src/index.ts";
import { BACKENDS } from "../support/backends.ts";
import { decoratorMode } from "../support/mode.ts";

@table("tr_articles")
class Article extends ActiveRecord {
  @column.id() id!: number;
  @column.text() slug!: string;
  @column.text() title!: string;
  @column.integer() views!: number;
  @hasMany(() => Remark) remarks!: Remark[];
}

@table("tr_remarks")
class Remark extends ActiveRecord {
  @column.id() id!: number;
  @column.integer() articleId!: number;
  @belongsTo(() => Article) article!: Article;
}

const published = (q: QueryOf<typeof Article>): QueryOf<typeof Article> => q.where({ views: 1 });

// Type-level expectations, checked by `npm run typecheck`.
export async function typeChecks(): Promise<void> {
  const [a] = await Article.query().select("id", "slug").all();
  expectTypeOf(a!.id).toEqualTypeOf<number>();
  expectTypeOf(a!.slug).toEqualTypeOf<string>();
  // @ts-expect-error title was not selected
  void a!.title;
  expectTypeOf(a!.save).toBeFunction();
  const first = await Article.where({ views: 1 }).select("slug").orderBy("title").first();
  expectTypeOf(first).toEqualTypeOf<Pick<Article, "slug" | Exclude<keyof Article, "id" | "slug" | "title" | "views">> | null>();
  const rows = await Article.query().select("views", fn.count().as("n"), fn.sum("views").as("total")).groupBy("views").rows();
  expectTypeOf(rows[0]!).toEqualTypeOf<Pick<{ id: number; slug: string; title: string; views: number }, "views"> & { n: number; total: number | null }>();
  expectTypeOf(rows[0]!.n).toEqualTypeOf<number>();
  // @ts-expect-error no such alias
  void rows[0]!.m;
  expectTypeOf(fn.count().alias).toEqualTypeOf<"count">();
  expectTypeOf(fn.max("views").as("top").alias).toEqualTypeOf<"top">();
  // @ts-expect-error select checks attribute names
  Article.query().select("nope");
  expectTypeOf<QueryOf<typeof Article>>().toEqualTypeOf<ModelQuery<Article>>();
  expectTypeOf<ReturnType<typeof Article.query<Article>>>().toEqualTypeOf<ModelQuery<Article>>();
  expectTypeOf(published(Article.query())).toEqualTypeOf<ModelQuery<Article>>();
  const counted = await Article.query().withCount("remarks").select("id").all();
  expectTypeOf(counted[0]!.id).toEqualTypeOf<number>();
}

describe.each(BACKENDS)(`typed results on $name (${decoratorMode})`, (fixture) => {
  let backend: Backend;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ backend, close } = await fixture.open());
    for (const m of [Article, Remark]) m.configure(backend);
    for (const m of [Article, Remark]) await m.createTable();
    await Article.insertMany([
      { slug: "a", title: "A", views: 1 },
      { slug: "b", title: "B", views: 1 },
      { slug: "c", title: "C", views: 2 },
    ]);
  });
  afterEach(async () => {
    for (const m of [Article, Remark]) m.unconfigure();
    await close();
  });

  it("select() records carry only the selected attributes; rows() carry the aliases", async () => {
    const [a] = await Article.query().select("id", "slug").orderBy("id").all();
    expect(a!.slug).toBe("a");
    expect((a as unknown as { title?: string }).title).toBeUndefined();
    const rows = await Article.query().select("views", fn.count().as("n"), fn.sum("views").as("total")).groupBy("views").orderBy("views").rows();
    expect(rows).toEqual([{ views: 1, n: 2, total: 2 }, { views: 2, n: 1, total: 2 }]);
    expect(await published(Article.query()).count()).toBe(2);
  });
});
