/**
 * join / leftJoin along declared relations, "relation.attribute" in where and
 * orderBy (names checked against the related model, operands like any where
 * value, belongsTo joined implicitly), and orderBy(sql``), on libSQL and
 * PostgreSQL.
 */
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from "vitest";
import { ActiveRecord, ArgumentError, belongsTo, column, hasMany, manyToMany, oneOf, sql, startsWith, table, type Backend, type RelatedColumn } from "../../src/index.ts";
import { BACKENDS } from "../support/backends.ts";
import { decoratorMode } from "../support/mode.ts";

@table("jn_users")
class User extends ActiveRecord {
  @column.id() id!: number;
  @column.text() username!: string;
  @column.text({ nullable: true }) bio!: string | null;
}

@table("jn_articles")
class Article extends ActiveRecord {
  @column.id() id!: number;
  @column.text() title!: string;
  @column.integer({ nullable: true }) authorId!: number | null;
  @belongsTo(() => User) author!: User | null;
  @hasMany(() => Comment) comments!: Comment[];
  @manyToMany(() => Tag, { through: "jn_article_tags" }) tags!: Tag[];
}

@table("jn_comments")
class Comment extends ActiveRecord {
  @column.id() id!: number;
  @column.integer() articleId!: number;
  @column.text() body!: string;
  @column.deletedAt() deletedAt!: Date | null;
}

@table("jn_tags")
class Tag extends ActiveRecord {
  @column.id() id!: number;
  @column.text() name!: string;
}

@table("jn_article_tags")
class ArticleTag extends ActiveRecord {
  @column.id() id!: number;
  @column.integer() articleId!: number;
  @column.integer() tagId!: number;
}

// Type-level expectations, checked by `npm run typecheck`.
export function typeChecks(): void {
  expectTypeOf<RelatedColumn<Comment>>().toEqualTypeOf<never>();
  Article.where({ "author.username": "ann", title: startsWith("A") }).orderBy("author.username").join("comments");
  Article.query().orderBy(sql`lower(title)`, "desc");
  // @ts-expect-error a misspelled related attribute
  Article.where({ "author.usrname": "ann" });
  // @ts-expect-error the operand is typed by the related attribute
  Article.where({ "author.username": 1 });
  // @ts-expect-error orderBy names are checked too
  Article.query().orderBy("author.nope");
  // @ts-expect-error join takes a relation name
  Article.query().join("autor");
}

describe.each(BACKENDS)(`joins on $name (${decoratorMode})`, (fixture) => {
  let backend: Backend;
  let close: () => Promise<void>;
  const models = [User, Article, Comment, Tag, ArticleTag];
  beforeEach(async () => {
    ({ backend, close } = await fixture.open());
    for (const m of models) m.configure(backend);
    for (const m of models) await m.createTable();
    const [ann, bob] = await User.insertMany([{ username: "ann" }, { username: "bob" }]);
    const [a1, a2] = await Article.insertMany([
      { title: "Zebras", authorId: ann!.id },
      { title: "Apples", authorId: bob!.id },
      { title: "Orphan", authorId: null },
    ]);
    await Comment.insertMany([
      { articleId: a1!.id, body: "first" },
      { articleId: a1!.id, body: "second" },
      { articleId: a2!.id, body: "gone", deletedAt: new Date() },
    ]);
    const [ts] = await Tag.insertMany([{ name: "ts" }, { name: "sql" }]);
    await ArticleTag.insertMany([{ articleId: a2!.id, tagId: ts!.id }]);
  });
  afterEach(async () => {
    for (const m of models) m.unconfigure();
    await close();
  });

  it("filters and orders by a belongsTo attribute, joined explicitly or implicitly (LEFT JOIN)", async () => {
    const explicit = await Article.query().join("author").where({ "author.username": "ann" }).all();
    expect(explicit.map((a) => a.title)).toEqual(["Zebras"]);
    // The records are the model's own columns only: no joined column leaks in.
    expect(Object.keys(explicit[0]!.toJSON()).sort()).toEqual(["authorId", "id", "title"]);
    const implicit = Article.where({ "author.username": oneOf(["ann", "bob"]) }).orderBy("author.username", "desc");
    expect(implicit.toSQL().sql).toContain('LEFT JOIN "jn_users" ON "jn_users"."id" = "jn_articles"."author_id"');
    expect((await implicit.all()).map((a) => a.title)).toEqual(["Apples", "Zebras"]);
    // A LEFT JOIN keeps the article without an author; an inner join drops it.
    expect(await Article.query().orderBy("author.username").count()).toBe(3);
    expect(await Article.query().join("author").count()).toBe(2);
    expect(await Article.where({ "author.username": null }).pluck("title")).toEqual(["Orphan"]);
  });

  it("joins hasMany (soft-deleted rows left out) and manyToMany through the join table", async () => {
    const commented = await Article.query().join("comments").distinct().orderBy("title").pluck("title");
    expect(commented).toEqual(["Zebras"]);
    const rows = await Article.query().leftJoin("comments").orderBy("title").orderBy("comments.body").pluck("title");
    expect(rows).toEqual(["Apples", "Orphan", "Zebras", "Zebras"]);
    expect(await Article.query().join("tags").where({ "tags.name": "ts" }).pluck("title")).toEqual(["Apples"]);
    // A hasMany path repeats records, so it must be joined on purpose.
    expect(() => Article.where({ "comments.body": "first" })).toThrow(/join\("comments"\)/);
  });

  it("orders by a sql`` fragment, its values bound as parameters", async () => {
    const q = Article.query().orderBy(sql`length(title) * ${2}`, "desc").orderBy("id");
    expect(q.toSQL().params).toContain(2);
    expect(await q.pluck("title")).toEqual(["Zebras", "Apples", "Orphan"]);
    expect(await Article.query().orderBy(sql`title`).pluck("title")).toEqual(["Apples", "Orphan", "Zebras"]);
    await expect(Article.query().orderBy(sql`title`).paginateAfter(null, 2)).rejects.toBeInstanceOf(ArgumentError);
  });

  it("request data never becomes SQL, an operator or a table: names are checked against the related model", async () => {
    const body = JSON.parse('{"author.username":{"$ne":"x"},"author.password":"x","author.id; DROP TABLE jn_users":"x","nope.x":1}');
    expect(() => Article.where({ "author.username": body["author.username"] })).toThrow(/expected a string/);
    expect(() => Article.where({ "author.password": "x" } as never)).toThrow(/no column "password"/);
    expect(() => Article.where({ "author.id; DROP TABLE jn_users": "x" } as never)).toThrow(/no column/);
    expect(() => Article.where({ "nope.x": 1 } as never)).toThrow(/no relation "nope"/);
    expect(() => Article.where({ "author.username.x": 1 } as never)).toThrow(ArgumentError);
    expect(() => Article.query().orderBy(JSON.parse('{"kind":"raw","strings":["1; DROP TABLE x"],"values":[]}'))).toThrow(ArgumentError);
    expect(() => Article.query().orderBy("title", "desc; DROP" as never)).toThrow(/direction/);
    expect(() => Article.query().join("nope" as never)).toThrow(/no relation "nope"/);
    expect(() => Article.query().join("comments").join("comments").leftJoin("comments")).not.toThrow();
    expect(() => Article.query().join("comments").updateAll({ title: "x" })).toThrow(/joins/);
    expect(await User.count()).toBe(2);
  });
});
