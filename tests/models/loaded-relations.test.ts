/**
 * Relations typed honestly: declared optional (`posts?: Post[]`), because a
 * record read without them does not have them, and made non-optional by
 * `with(...)` and `load(...)` through every query helper. The type-level
 * expectations are checked by the typecheck step (expectTypeOf and
 * @ts-expect-error); the same calls run on libSQL and PostgreSQL.
 */
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from "vitest";
import { ActiveRecord, belongsTo, column, hasMany, hasOne, table, type Backend, type Loaded, type ModelQuery } from "../../src/index.ts";
import { BACKENDS } from "../support/backends.ts";
import { decoratorMode } from "../support/mode.ts";

@table("lr_writers")
class Writer extends ActiveRecord {
  @column.id() id!: number;
  @column.text() name!: string;
  @hasMany(() => Story) stories?: Story[];
  @hasOne(() => Bio) bio?: Bio | null;
}

@table("lr_bios")
class Bio extends ActiveRecord {
  @column.id() id!: number;
  @column.integer() writerId!: number;
  @column.text() body!: string;
}

@table("lr_stories")
class Story extends ActiveRecord {
  @column.id() id!: number;
  @column.integer() writerId!: number;
  @column.text() title!: string;
  @belongsTo(() => Writer) writer?: Writer;
  @hasMany(() => Note) notes?: Note[];
}

@table("lr_notes")
class Note extends ActiveRecord {
  @column.id() id!: number;
  @column.integer() storyId!: number;
  @column.text() body!: string;
  @belongsTo(() => Story) story?: Story;
}

const MODELS = [Writer, Bio, Story, Note];

// Type-level expectations, checked by `npm run typecheck`.
export async function typeChecks(): Promise<void> {
  // Not loaded: the type says it may be missing, so it must be checked before use.
  const plain = await Writer.findOrFail(1);
  expectTypeOf(plain.stories).toEqualTypeOf<Story[] | undefined>();
  // @ts-expect-error stories was not loaded: possibly undefined
  void plain.stories.length;

  // with(): the loaded relation is non-optional, nested paths narrowed inside.
  const [w] = await Writer.with("stories").all();
  expectTypeOf(w!.stories).toEqualTypeOf<Story[]>();
  expectTypeOf(w!).toEqualTypeOf<Writer & { stories: Story[] }>();
  expectTypeOf(w!.bio).toEqualTypeOf<Bio | null | undefined>();
  const nested = await Writer.with("stories.notes").first();
  expectTypeOf(nested).toEqualTypeOf<(Writer & { stories: (Story & { notes: Note[] })[] }) | null>();
  expectTypeOf<Loaded<Writer, "stories.notes">>().toEqualTypeOf<Writer & { stories: (Story & { notes: Note[] })[] }>();
  expectTypeOf(nested!.stories[0]!.notes[0]!.body).toEqualTypeOf<string>();
  // Array methods see the loaded element type (the loaded side of the intersection comes first).
  expectTypeOf(nested!.stories.find((s) => s.title === "S1")!.notes).toEqualTypeOf<Note[]>();
  expectTypeOf(nested!.stories.map((s) => s.notes.length)).toEqualTypeOf<number[]>();
  // @ts-expect-error the notes' story was not loaded
  void nested!.stories[0]!.notes[0]!.story.title;
  // Two paths below one relation, and a hasOne that may be null.
  const both = await Writer.with("stories.notes", "stories.writer", "bio").firstOrFail();
  expectTypeOf(both.stories[0]!.writer).toEqualTypeOf<Writer>();
  expectTypeOf(both.stories[0]!.notes).toEqualTypeOf<Note[]>();
  expectTypeOf(both.bio).toEqualTypeOf<Bio | null>();
  // Three levels deep, back up a belongsTo.
  const deep = await Note.with("story.writer.stories").all();
  expectTypeOf(deep[0]!.story.writer.stories).toEqualTypeOf<Story[]>();

  // Any relation property declared on a model narrows, whatever decorator made it. A union (a polymorphic
  // belongsTo) keeps its members: the intersection adds `Story & Note`, which is both, so the two types
  // are each assignable to the other (though not identical), and undefined is gone.
  type Pinned = Writer & { pinned?: Story | Note | null };
  expectTypeOf<Loaded<Pinned, "pinned">["pinned"]>().toExtend<Story | Note | null>();
  expectTypeOf<Story | Note | null>().toExtend<Loaded<Pinned, "pinned">["pinned"]>();
  expectTypeOf<Pinned["pinned"]>().not.toExtend<Loaded<Pinned, "pinned">["pinned"]>();

  // Every helper keeps the narrowing, whichever order the calls come in.
  const q = Writer.query().where({ name: "Ann" }).with("stories").orderBy("name").limit(5).offset(0);
  expectTypeOf(q).toEqualTypeOf<ModelQuery<Writer, Writer & { stories: Story[] }>>();
  expectTypeOf(await q.first()).toEqualTypeOf<(Writer & { stories: Story[] }) | null>();
  expectTypeOf((await q.firstOrFail()).stories).toEqualTypeOf<Story[]>();
  expectTypeOf((await q.find(1))!.stories).toEqualTypeOf<Story[]>();
  expectTypeOf((await q.findOrFail(1)).stories).toEqualTypeOf<Story[]>();
  expectTypeOf((await q.paginate(1, 10)).rows[0]!.stories).toEqualTypeOf<Story[]>();
  expectTypeOf((await q.paginateAfter(null, 10)).rows[0]!.stories).toEqualTypeOf<Story[]>();
  expectTypeOf((await q)[0]!.stories).toEqualTypeOf<Story[]>();
  for await (const record of q.cursor()) expectTypeOf(record.stories).toEqualTypeOf<Story[]>();
  await q.chunk(10, (records) => expectTypeOf(records[0]!.stories).toEqualTypeOf<Story[]>());
  expectTypeOf((await Writer.where({ name: "Ann" }).with("stories").withCount("stories").all())[0]!.stories).toEqualTypeOf<Story[]>();
  const selected = await Writer.query().select("id").with("stories").first();
  expectTypeOf(selected!.stories).toEqualTypeOf<Story[]>();
  // @ts-expect-error name was not selected
  void selected!.name;
  // Successive with() calls add up.
  const added = await Writer.with("bio").with("stories").firstOrFail();
  expectTypeOf(added.bio).toEqualTypeOf<Bio | null>();
  expectTypeOf(added.stories).toEqualTypeOf<Story[]>();

  // load(): the returned record is typed with what it loaded.
  const story = await Story.findOrFail(1);
  const loaded = await story.load("writer", "notes");
  expectTypeOf(loaded.writer.name).toEqualTypeOf<string>();
  expectTypeOf(loaded.notes).toEqualTypeOf<Note[]>();
  expectTypeOf(loaded).toEqualTypeOf<Story & { writer: Writer; notes: Note[] }>();

  // Names and paths stay checked.
  // @ts-expect-error no such relation
  Writer.with("storys");
  // @ts-expect-error no such nested relation
  Writer.query().with("stories.nots");
  // @ts-expect-error no such relation
  void story.load("author");
}

describe.each(BACKENDS)(`loaded relations on $name (${decoratorMode})`, (fixture) => {
  let backend: Backend;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ backend, close } = await fixture.open());
    for (const m of MODELS) m.configure(backend);
    for (const m of MODELS) await m.createTable();
    const [ann, bob] = await Writer.insertMany([{ name: "Ann" }, { name: "Bob" }]);
    await Bio.create({ writerId: ann!.id, body: "writes" });
    const [s1] = await Story.insertMany([
      { writerId: ann!.id, title: "S1" },
      { writerId: ann!.id, title: "S2" },
      { writerId: bob!.id, title: "S3" },
    ]);
    await Note.insertMany([{ storyId: s1!.id, body: "n1" }, { storyId: s1!.id, body: "n2" }]);
  });
  afterEach(async () => {
    for (const m of MODELS) m.unconfigure();
    await close();
  });

  it("a relation declared optional is absent until loaded, then an array or a record (or null)", async () => {
    const plain = await Writer.findOrFail(1);
    expect(plain.stories).toBeUndefined();
    const [ann, bob] = await Writer.with("stories.notes", "bio").orderBy("id").all();
    expect(ann!.stories.map((s) => s.title).sort()).toEqual(["S1", "S2"]);
    expect(ann!.stories.find((s) => s.title === "S1")!.notes.map((n) => n.body).sort()).toEqual(["n1", "n2"]);
    expect(ann!.bio?.body).toBe("writes");
    expect(bob!.bio).toBeNull();
    expect(bob!.stories[0]!.notes).toEqual([]);
  });

  it("the query helpers and load() return the relations they loaded", async () => {
    const q = Writer.query().where({ name: "Ann" }).with("stories").orderBy("name");
    expect((await q.firstOrFail()).stories).toHaveLength(2);
    expect((await q.find(1))!.stories).toHaveLength(2);
    expect(await q.find(2)).toBeNull();
    await expect(q.findOrFail(2)).rejects.toThrow(/Writer/);
    expect((await q.paginate(1, 10)).rows[0]!.stories).toHaveLength(2);
    const seen: number[] = [];
    for await (const record of Writer.with("stories").cursor({ batchSize: 1 })) seen.push(record.stories.length);
    expect(seen).toEqual([2, 1]);
    const story = await Story.findOrFail(1);
    expect(story.writer).toBeUndefined();
    const loaded = await story.load("writer", "notes");
    expect(loaded).toBe(story);
    expect(loaded.writer.name).toBe("Ann");
    expect(loaded.notes).toHaveLength(2);
  });

  it("with() still refuses an unknown path before any SQL", () => {
    expect(() => Writer.with("storys" as never)).toThrow(/storys/);
  });
});
