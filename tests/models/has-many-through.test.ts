/**
 * hasManyThrough on libSQL and PostgreSQL: an author's comments through the
 * author's posts (hasMany -> hasMany), categories (hasMany -> belongsTo),
 * tags (hasMany -> manyToMany), a category's authors, a comment's post tags
 * (belongsTo -> manyToMany). Eager loading is one query per level, counted
 * with the query events; misconfiguration is a ConfigurationError naming the
 * model and relation.
 */
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from "vitest";
import { ActiveRecord, belongsTo, column, ConfigurationError, hasMany, hasManyThrough, manyToMany, table, type Backend, type Loaded, type RelationPath } from "../../src/index.ts";
import { BACKENDS } from "../support/backends.ts";
import { counted } from "../support/statements.ts";
import { decoratorMode } from "../support/mode.ts";

@table("hmt_authors")
class Writer extends ActiveRecord {
  @column.id() id!: number;
  @column.text() name!: string;
  @hasMany(() => Article, { foreignKey: "writerId" }) articles?: Article[];
  @hasManyThrough(() => Note, { through: "articles", source: "notes" }) notes?: Note[];
  @hasManyThrough(() => Section, { through: "articles", source: "section" }) sections?: Section[];
  @hasManyThrough(() => Label, { through: "articles" }) labels?: Label[];
}

@table("hmt_sections")
class Section extends ActiveRecord {
  @column.id() id!: number;
  @column.text() name!: string;
  @hasMany(() => Article) articles?: Article[];
  @hasManyThrough(() => Writer, { through: "articles", source: "writer" }) writers?: Writer[];
}

@table("hmt_articles")
class Article extends ActiveRecord {
  @column.id() id!: number;
  @column.integer() writerId!: number;
  @column.integer({ nullable: true }) sectionId!: number | null;
  @column.text() title!: string;
  @column.deletedAt() deletedAt!: Date | null;
  @belongsTo(() => Writer) writer?: Writer;
  @belongsTo(() => Section) section?: Section | null;
  @hasMany(() => Note) notes?: Note[];
  @manyToMany(() => Label, { through: "hmt_article_labels" }) labels?: Label[];
}

@table("hmt_notes")
class Note extends ActiveRecord {
  @column.id() id!: number;
  @column.integer() articleId!: number;
  @column.integer() readerId!: number;
  @column.text() body!: string;
  @column.boolean({ default: true }) approved!: boolean;
  @belongsTo(() => Article) article?: Article;
  @belongsTo(() => Writer) reader?: Writer;
  @hasManyThrough(() => Label, { through: "article", source: "labels" }) articleLabels?: Label[];
}

@table("hmt_labels")
class Label extends ActiveRecord {
  @column.id() id!: number;
  @column.text() name!: string;
}

const MODELS = [Writer, Section, Article, Note, Label] as const;

// Type-level expectations, checked by `npx tsc --noEmit` (both tsconfigs).
export async function typeChecks(): Promise<void> {
  const writers = await Writer.with("notes.reader", "sections", "labels").all();
  expectTypeOf(writers[0]!.notes[0]!.reader.name).toEqualTypeOf<string>();
  expectTypeOf(writers[0]!.sections).toEqualTypeOf<Section[]>();
  const plain = await Writer.findOrFail(1);
  expectTypeOf(plain.notes).toEqualTypeOf<Note[] | undefined>(); // not loaded: may be missing
  const path: RelationPath<Writer> = "notes.article.section"; // through, then on along the target's relations
  void path;
  // @ts-expect-error a typo in a through relation's name
  Writer.with("noets");
  // @ts-expect-error nested past the through relation, still checked
  Writer.with("notes.auhtor");
  const loaded = await plain.load("notes");
  expectTypeOf(loaded.notes).toEqualTypeOf<Note[]>();
  const [note] = await writers[0]!.related("notes").all();
  expectTypeOf(note!.body).toEqualTypeOf<string>();
  await Writer.whereHas("notes", { approved: false }).withCount("notes").all();
}

/** Runs `work`, returning its result and the SQL of every statement it ran. */
describe.each(BACKENDS)(`hasManyThrough on $name (${decoratorMode})`, (fixture) => {
  let backend: Backend;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ backend, close } = await fixture.open());
    for (const model of MODELS) model.configure(backend);
    for (const model of MODELS) await model.createTable();
    await Article.createJoinTables();
    const [ann, bob] = await Writer.insertMany([{ name: "Ann" }, { name: "Bob" }, { name: "Cid" }]);
    const [news, sport] = await Section.insertMany([{ name: "news" }, { name: "sport" }]);
    const [a1, a2, b1, gone] = await Article.insertMany([
      { writerId: ann!.id, sectionId: news!.id, title: "A1" },
      { writerId: ann!.id, sectionId: news!.id, title: "A2" },
      { writerId: bob!.id, sectionId: sport!.id, title: "B1" },
      { writerId: bob!.id, sectionId: null, title: "gone" },
    ]);
    await gone!.delete(); // soft-deleted: its notes are not reached through it
    await Note.insertMany([
      { articleId: a1!.id, readerId: bob!.id, body: "a1 nice" },
      { articleId: a1!.id, readerId: bob!.id, body: "a1 spam", approved: false },
      { articleId: a2!.id, readerId: ann!.id, body: "a2 ok" },
      { articleId: b1!.id, readerId: ann!.id, body: "b1 ok" },
      { articleId: gone!.id, readerId: ann!.id, body: "hidden" },
    ]);
    const [ts, db] = await Label.insertMany([{ name: "ts" }, { name: "db" }]);
    await a1!.related("labels").attach(ts!, db!);
    await a2!.related("labels").attach(db!);
    await b1!.related("labels").attach(ts!);
  });
  afterEach(() => close());

  it("eager-loads through hasMany -> hasMany in one query per level, never per record", async () => {
    const { result: writers, sql } = await counted(() => Writer.with("notes").orderBy("id").all());
    expect(sql).toHaveLength(2);
    const [ann, bob, cid] = writers;
    expect(ann!.notes.map((n) => n.body).sort()).toEqual(["a1 nice", "a1 spam", "a2 ok"]);
    expect(bob!.notes.map((n) => n.body)).toEqual(["b1 ok"]); // "hidden" hangs off a soft-deleted article
    expect(cid!.notes).toEqual([]);
    expect(ann!.notes[0]).toBeInstanceOf(Note);
    expect(ann!.notes[0]!.isDirty()).toBe(false);

    // Forty more writers with articles and notes: still two statements.
    const more = await Writer.insertMany(Array.from({ length: 40 }, (_, i) => ({ name: `w${i}` })));
    const articles = await Article.insertMany(more.map((w) => ({ writerId: w.id, title: `t${w.id}` })));
    await Note.insertMany(articles.map((a) => ({ articleId: a.id, readerId: 1, body: `n${a.id}` })));
    const { result: all, sql: again } = await counted(() => Writer.with("notes").all());
    expect(again).toHaveLength(2);
    expect(all.filter((w) => w.notes.length === 1)).toHaveLength(41);
  });

  it("loads nested paths, other source kinds and each related record once per owner", async () => {
    const { result: writers, sql } = await counted(() => Writer.with("notes.reader", "sections", "labels", "articles.notes").orderBy("id").all());
    expect(sql).toHaveLength(7); // writers, notes, their readers, sections, labels, articles, the articles' notes: one each
    const [ann, bob] = writers;
    expect(ann!.notes.find((n) => n.body === "a2 ok")!.reader.name).toBe("Ann"); // nested below the through relation
    expect(ann!.notes.find((n) => n.body === "a1 nice")!.reader.name).toBe("Bob");
    expect(ann!.sections.map((s) => s.name)).toEqual(["news"]); // two articles in news: listed once
    expect(bob!.sections.map((s) => s.name)).toEqual(["sport"]);
    expect(ann!.labels.map((l) => l.name).sort()).toEqual(["db", "ts"]); // db via A1 and A2: once
    expect(bob!.labels.map((l) => l.name)).toEqual(["ts"]);

    const sections = await Section.with("writers").orderBy("id").all(); // hasMany -> belongsTo
    expect(sections.map((s) => s.writers.map((w) => w.name))).toEqual([["Ann"], ["Bob"]]);
    const notes = await Note.with("articleLabels").orderBy("id").all(); // belongsTo -> manyToMany
    expect(notes.map((n) => n.articleLabels.map((l) => l.name).sort())).toEqual([["db", "ts"], ["db", "ts"], ["db"], ["ts"], []]);
  });

  it("returns empty results without querying the next level", async () => {
    const { result, sql } = await counted(() => Writer.where({ name: "nobody" }).with("notes.reader").all());
    expect(result).toEqual([]);
    expect(sql).toHaveLength(1);
    const cid = await Writer.firstOrFail({ name: "Cid" });
    const { result: loaded, sql: lazy } = await counted(() => cid.load("notes.reader"));
    expect(loaded.notes).toEqual([]);
    expect(lazy).toHaveLength(1); // the notes query finds none; readers are not asked for
  });

  it("loads lazily, queries and counts through one record", async () => {
    const ann = await Writer.firstOrFail({ name: "Ann" });
    const loaded = await ann.load("notes", "sections");
    expect(loaded.notes).toHaveLength(3);
    expect(loaded.sections.map((s) => s.name)).toEqual(["news"]);
    expect(await ann.related("notes").count()).toBe(3);
    expect(await ann.related("notes").query().where({ approved: false }).pluck("body")).toEqual(["a1 spam"]);
    expect(await ann.related("sections").count()).toBe(1);
    expect((await ann.related("labels").query().orderBy("name").pluck("name"))).toEqual(["db", "ts"]);
    await expect(ann.related("notes").create({ body: "x" })).rejects.toThrow('create() does not work on hasManyThrough relations (Writer.notes): create it through "articles"');
  });

  it("filters, counts and joins through the intermediate table", async () => {
    expect(await Writer.whereHas("notes", { approved: false }).pluck("name")).toEqual(["Ann"]);
    expect(await Writer.whereHas("notes").orderBy("name").pluck("name")).toEqual(["Ann", "Bob"]);
    expect(await Writer.whereDoesntHave("notes").pluck("name")).toEqual(["Cid"]);
    expect(await Section.whereHas("writers", { name: "Bob" }).pluck("name")).toEqual(["sport"]);

    const { result: counts, sql } = await counted(() => Writer.query().withCount("notes").withCount("sections").orderBy("id").all());
    expect(sql).toHaveLength(1);
    expect(counts.map((w) => [w.name, w.notesCount, w.sectionsCount])).toEqual([["Ann", 3, 1], ["Bob", 1, 1], ["Cid", 0, 0]]);

    const joined = await Writer.query().join("notes").where({ "notes.body": "b1 ok" }).pluck("name");
    expect(joined).toEqual(["Bob"]);
    expect(await Writer.query().join("notes").where({ "notes.body": "hidden" }).count()).toBe(0); // the soft-deleted article is not joined through
    expect(await Writer.query().leftJoin("labels").where({ "labels.name": "db" }).distinct().pluck("name")).toEqual(["Ann"]);
  });
});

describe(`hasManyThrough misconfiguration (${decoratorMode})`, () => {
  it("names the model and relation when the through relation is unknown", () => {
    @table("hmt_bad1")
    class BadThrough extends ActiveRecord {
      @column.id() id!: number;
      @hasManyThrough(() => Note, { through: "artcles", source: "notes" }) notes?: Note[];
    }
    expect(() => BadThrough.with("notes")).toThrow(ConfigurationError);
    expect(() => BadThrough.with("notes")).toThrow('BadThrough.notes: through relation "artcles" not found: BadThrough has no relation "artcles"');
  });

  it("names the model and relation when the source is missing or reaches another model", () => {
    @table("hmt_bad2")
    class BadSource extends ActiveRecord {
      @column.id() id!: number;
      @hasMany(() => Article, { foreignKey: "writerId" }) articles?: Article[];
      @hasManyThrough(() => Note, { through: "articles" }) comments?: Note[];
    }
    expect(() => BadSource.with("comments")).toThrow('BadSource.comments: source relation "comments" not found: Article has no relation "comments" (known: writer, section, notes, labels) (set { source: "..." }');

    @table("hmt_bad3")
    class WrongTarget extends ActiveRecord {
      @column.id() id!: number;
      @hasMany(() => Article, { foreignKey: "writerId" }) articles?: Article[];
      @hasManyThrough(() => Label, { through: "articles", source: "notes" }) labels?: Label[];
    }
    expect(() => WrongTarget.with("labels")).toThrow("WrongTarget.labels: the source Article.notes reaches Note, not Label");
  });

  it("refuses going through a manyToMany or another hasManyThrough", () => {
    @table("hmt_bad4")
    class ViaMany extends ActiveRecord {
      @column.id() id!: number;
      @manyToMany(() => Article, { through: "hmt_bad4_articles" }) articles?: Article[];
      @hasManyThrough(() => Note, { through: "articles", source: "notes" }) notes?: Note[];
    }
    expect(() => ViaMany.with("notes")).toThrow("ViaMany.notes: goes through ViaMany.articles, a manyToMany; the through relation must be a belongsTo, hasOne or hasMany");

    @table("hmt_bad5")
    class Nested extends ActiveRecord {
      @column.id() id!: number;
      @hasMany(() => Writer, { foreignKey: "id" }) writers?: Writer[];
      @hasManyThrough(() => Note, { through: "writers", source: "notes" }) notes?: Note[];
    }
    expect(() => Nested.with("notes")).toThrow("Nested.notes: its source relation Writer.notes is itself a hasManyThrough");
  });

  it("refuses a decorator without its through relation", () => {
    expect(() => hasManyThrough(() => Note, {} as never)).toThrow('@hasManyThrough needs the relation to go through: @hasManyThrough(() => Comment, { through: "posts" })');
  });
});
