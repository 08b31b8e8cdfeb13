/**
 * Polymorphic relations on libSQL and PostgreSQL: a Comment belongs to a
 * Post or a Video (`commentableType` + `commentableId`), and Post/Video have
 * many comments `as: "commentable"`. Eager loading is one query per type
 * present (counted with the query events), the type names come only from the
 * declared map (hostile stored values are refused before any query), and
 * assigning sets both columns.
 */
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from "vitest";
import { ActiveRecord, belongsTo, column, ConfigurationError, hasMany, hasManyThrough, table, type Backend, type RelationPath } from "../../src/index.ts";
import { BACKENDS } from "../support/backends.ts";
import { counted } from "../support/statements.ts";
import { decoratorMode } from "../support/mode.ts";

@table("poly_users")
class Member extends ActiveRecord {
  @column.id() id!: number;
  @column.text() name!: string;
  @hasMany(() => Entry, { foreignKey: "authorId" }) entries?: Entry[];
  @hasManyThrough(() => Remark, { through: "entries", source: "remarks" }) entryRemarks?: Remark[];
}

@table("poly_posts")
class Entry extends ActiveRecord {
  @column.id() id!: number;
  @column.integer() authorId!: number;
  @column.text() title!: string;
  @column.deletedAt() deletedAt!: Date | null;
  @belongsTo(() => Member) author?: Member;
  @belongsTo(() => Member, { foreignKey: "authorId" }) editor?: Member;
  @hasMany(() => Remark, { as: "subject" }) remarks?: Remark[];
}

@table("poly_videos")
class Clip extends ActiveRecord {
  @column.id() id!: number;
  @column.integer() authorId!: number;
  @column.text() url!: string;
  @belongsTo(() => Member) author?: Member;
  @hasMany(() => Remark, { as: "subject" }) remarks?: Remark[];
}

@table("poly_comments")
class Remark extends ActiveRecord {
  @column.id() id!: number;
  @column.text({ nullable: true }) subjectType!: string | null;
  @column.integer({ nullable: true }) subjectId!: number | null;
  @column.text() body!: string;
  @belongsTo.polymorphic({ post: () => Entry, video: () => Clip }) subject?: Entry | Clip | null;
}

const MODELS = [Member, Entry, Clip, Remark] as const;

// Type-level expectations, checked by `npx tsc --noEmit` (both tsconfigs).
export async function typeChecks(): Promise<void> {
  const [r] = await Remark.with("subject.author").all();
  const subject = r!.subject;
  expectTypeOf(subject).toMatchTypeOf<Entry | Clip | null>();
  if (subject instanceof Entry) expectTypeOf(subject.author.name).toEqualTypeOf<string>(); // loaded below the polymorphic relation
  const paths: RelationPath<Remark>[] = ["subject", "subject.author", "subject.remarks"];
  void paths;
  // @ts-expect-error editor is Entry's only: not a relation of every subject type
  Remark.with("subject.editor");
  // @ts-expect-error a typo
  Remark.with("subjcet");
  const [e] = await Entry.with("remarks").all();
  expectTypeOf(e!.remarks[0]!.body).toEqualTypeOf<string>();
}

describe.each(BACKENDS)(`polymorphic relations on $name (${decoratorMode})`, (fixture) => {
  let backend: Backend;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ backend, close } = await fixture.open());
    for (const model of MODELS) model.configure(backend);
    for (const model of MODELS) await model.createTable();
    const [ann, bob] = await Member.insertMany([{ name: "Ann" }, { name: "Bob" }]);
    // Post 1 and video 1 share the key 1: only the type column tells their comments apart.
    await Entry.insertMany([{ authorId: ann!.id, title: "P1" }, { authorId: bob!.id, title: "P2" }]);
    await Clip.insertMany([{ authorId: bob!.id, url: "v1" }]);
    await Remark.insertMany([
      { subjectType: "post", subjectId: 1, body: "on P1" },
      { subjectType: "video", subjectId: 1, body: "on v1" },
      { subjectType: "post", subjectId: 1, body: "on P1 again" },
      { subjectType: null, subjectId: null, body: "orphan" },
      { subjectType: "post", subjectId: 2, body: "on P2" },
    ]);
  });
  afterEach(() => close());

  it("eager-loads a polymorphic belongsTo with one query per type present, never per record", async () => {
    const { result: remarks, sql } = await counted(() => Remark.with("subject").orderBy("id").all());
    expect(sql).toHaveLength(3); // remarks, posts, videos
    const [p1, v1, p1again, orphan, p2] = remarks;
    expect(p1!.subject).toBeInstanceOf(Entry);
    expect((p1!.subject as Entry).title).toBe("P1");
    expect(p1again!.subject).toBe(p1!.subject); // one record per row, shared
    expect(v1!.subject).toBeInstanceOf(Clip);
    expect((v1!.subject as Clip).url).toBe("v1");
    expect(orphan!.subject).toBeNull();
    expect((p2!.subject as Entry).title).toBe("P2");

    const { result: onlyPosts, sql: fewer } = await counted(() => Remark.where({ subjectType: "post" }).with("subject").all());
    expect(fewer).toHaveLength(2); // no video query when no row names a video
    expect(onlyPosts.every((r) => r.subject instanceof Entry)).toBe(true);
    const { sql: none } = await counted(() => Remark.where({ body: "orphan" }).with("subject").all());
    expect(none).toHaveLength(1);
  });

  it("loads nested paths per type, and the other side as a typed hasMany", async () => {
    const { result: remarks, sql } = await counted(() => Remark.with("subject.author", "subject.remarks").orderBy("id").all());
    expect(sql).toHaveLength(7); // remarks; per type (posts, videos): the subjects, their authors, their remarks
    expect(remarks.map((r) => (r.subject as { author?: Member } | null)?.author?.name ?? null)).toEqual(["Ann", "Bob", "Ann", null, "Bob"]);
    expect((remarks[1]!.subject as Clip).remarks!.map((x) => x.body)).toEqual(["on v1"]);

    const { result: entries, sql: two } = await counted(() => Entry.with("remarks").orderBy("id").all());
    expect(two).toHaveLength(2);
    expect(entries[0]!.remarks.map((x) => x.body).sort()).toEqual(["on P1", "on P1 again"]); // not the video's, which has the same key
    const [clip] = await Clip.with("remarks").all();
    expect(clip!.remarks.map((x) => x.body)).toEqual(["on v1"]);

    const members = await Member.with("entryRemarks").orderBy("id").all(); // through a hasMany to the `as` side
    expect(members.map((m) => m.entryRemarks.map((x) => x.body).sort())).toEqual([["on P1", "on P1 again"], ["on P2"]]);
    expect(() => Remark.with("subject.editor" as never)).toThrow('Clip has no relation "editor"');
  });

  it("refuses a stored type value outside the map, naming model, column and value, before any type is queried", async () => {
    for (const hostile of ["users", "Post", "__proto__", "constructor", "toString", "poly_posts", ""]) {
      await Remark.deleteWhere({ body: "hostile" });
      await Remark.create({ subjectType: hostile, subjectId: 1, body: "hostile" });
      const { result, sql } = await counted(() => Remark.with("subject").all().then(() => "loaded", (e: unknown) => e));
      expect(result).toBeInstanceOf(ConfigurationError);
      expect((result as Error).message).toBe(`Remark.subject: subjectType is ${JSON.stringify(hostile)}, which is not one of its types (post, video)`);
      expect(sql).toHaveLength(1); // the remarks; no subject table was queried
      const remark = await Remark.firstOrFail({ body: "hostile" });
      expect(() => remark.related("subject").query()).toThrow(ConfigurationError);
    }
  });

  it("sets both columns on associate, clears both on dissociate, and sets the type on create", async () => {
    const remark = await Remark.firstOrFail({ body: "orphan" });
    const clip = await Clip.findOrFail(1);
    remark.related("subject").associate(clip);
    expect([remark.subjectType, remark.subjectId]).toEqual(["video", 1]);
    await remark.save();
    expect(await remark.related("subject").first()).toBeInstanceOf(Clip);
    const reloaded = await Remark.findOrFail(remark.id);
    expect([reloaded.subjectType, reloaded.subjectId]).toEqual(["video", 1]);
    remark.related("subject").dissociate();
    expect([remark.subjectType, remark.subjectId]).toEqual([null, null]);
    const ann = await Member.findOrFail(1);
    expect(() => remark.related("subject").associate(ann as never)).toThrow("Remark.subject: a Member is not one of its types (post, video)");
    await expect(remark.related("subject").create({} as never)).rejects.toThrow("create() does not work on belongsToPolymorphic relations (Remark.subject): create the record, then associate() it");

    const created = await clip.related("remarks").create({ body: "new", subjectType: "post" });
    expect([created.subjectType, created.subjectId]).toEqual(["video", clip.id]); // the relation decides the type
    expect(await clip.related("remarks").count()).toBe(3); // "on v1", the remark associated above (saved), "new"
    expect(await (await Entry.findOrFail(1)).related("remarks").count()).toBe(2);
  });

  it("filters, counts and joins the typed side; refuses single-table operations on the polymorphic side", async () => {
    await Remark.create({ subjectType: "video", subjectId: 2, body: "on a missing video 2" });
    expect(await Entry.whereHas("remarks").orderBy("id").pluck("title")).toEqual(["P1", "P2"]);
    expect(await Entry.whereHas("remarks", { body: "on a missing video 2" }).count()).toBe(0); // post 2 exists, the remark is a video's
    const counts = await Entry.query().withCount("remarks").orderBy("id").all();
    expect(counts.map((e) => e.remarksCount)).toEqual([2, 1]);
    expect(await Entry.query().join("remarks").where({ "remarks.body": "on v1" }).count()).toBe(0);
    expect(await Clip.query().join("remarks").where({ "remarks.body": "on v1" }).pluck("url")).toEqual(["v1"]);

    const refusal = "Remark.subject is a polymorphic belongsTo: its table depends on each row's subjectType";
    expect(() => Remark.whereHas("subject")).toThrow(refusal);
    expect(() => Remark.query().join("subject")).toThrow(refusal);
    expect(() => Remark.query().withCount("subject")).toThrow(refusal);
  });
});

describe(`polymorphic misconfiguration (${decoratorMode})`, () => {
  it("refuses a decorator without a types map", () => {
    const message = "@belongsTo.polymorphic takes a map of type names to models: @belongsTo.polymorphic({ post: () => Post, video: () => Video })";
    expect(() => belongsTo.polymorphic({})).toThrow(message);
    expect(() => belongsTo.polymorphic(undefined as never)).toThrow(message);
    expect(() => belongsTo.polymorphic({ post: "poly_posts" as never })).toThrow(message);
  });

  it("names the model and relation when `as` is not a polymorphic relation of the target, or the target's map lacks this model", () => {
    @table("poly_bad1")
    class NoSuch extends ActiveRecord {
      @column.id() id!: number;
      @hasMany(() => Remark, { as: "subjcet" }) remarks?: Remark[];
    }
    expect(() => NoSuch.with("remarks")).toThrow('NoSuch.remarks: { as: "subjcet" } must name a @belongsTo.polymorphic relation of Remark: Remark has no relation "subjcet" (known: subject)');

    @table("poly_bad2")
    class Plain extends ActiveRecord {
      @column.id() id!: number;
      @hasMany(() => Entry, { as: "author" }) entries?: Entry[];
    }
    expect(() => Plain.with("entries")).toThrow(ConfigurationError);
    expect(() => Plain.with("entries")).toThrow('Plain.entries: { as: "author" } must name a @belongsTo.polymorphic relation of Entry; Entry.author is belongsTo');

    @table("poly_bad3")
    class Unlisted extends ActiveRecord {
      @column.id() id!: number;
      @hasMany(() => Remark, { as: "subject" }) remarks?: Remark[];
    }
    expect(() => Unlisted.with("remarks")).toThrow("Unlisted.remarks: Remark.subject must list Unlisted exactly once among its types (add Unlisted to its types map)");
  });

  it("names the missing type column", () => {
    @table("poly_bad4")
    class NoType extends ActiveRecord {
      @column.id() id!: number;
      @column.integer() targetId!: number;
      @belongsTo.polymorphic({ post: () => Entry }) target?: Entry | null;
    }
    expect(() => NoType.with("target")).toThrow('NoType.target: type column "targetType" is not an attribute of NoType (set it with { typeKey: "..." })');
  });
});
