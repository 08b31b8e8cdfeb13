/**
 * `@table(name, { hydration: "prototype" })`: loaded records are made without
 * running the constructor, yet behave as records made by `new` (class,
 * methods, dirty tracking, saving, relations); the option is refused where
 * skipping the constructor would lose state.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ActiveRecord, belongsTo, column, ConfigurationError, hasMany, table, type Backend } from "../../src/index.ts";
import { BACKENDS } from "../support/backends.ts";
import { decoratorMode } from "../support/mode.ts";

let constructed = 0;

@table("shelves", { hydration: "prototype" })
class Shelf extends ActiveRecord {
  @column.id() id!: number;
  @column.text() label!: string;
  @hasMany(() => Book) books!: Book[];
}

@table("books", { hydration: "prototype" })
class Book extends ActiveRecord {
  @column.id() id!: number;
  @column.integer() shelfId!: number;
  @column.text() title!: string;
  @column.datetime() addedAt!: Date;
  @belongsTo(() => Shelf) shelf!: Shelf;

  constructor() {
    super();
    constructed++;
  }

  get shout(): string {
    return this.title.toUpperCase();
  }

  rename(title: string): this {
    this.title = title;
    return this;
  }
}

/** The default: loaded records run the constructor, so its state is there. */
@table("notes")
class Note extends ActiveRecord {
  @column.id() id!: number;
  @column.text() body!: string;
  seen = new Set<string>();
}

/** The same fields under the prototype option: refused on first load. */
@table("notes", { hydration: "prototype" })
class CachedNote extends ActiveRecord {
  @column.id() id!: number;
  @column.text() body!: string;
  seen = new Set<string>();
}

describe.each(BACKENDS)(`hydration on $name (${decoratorMode})`, (fixture) => {
  let backend: Backend;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ backend, close } = await fixture.open());
    for (const model of [Shelf, Book, Note, CachedNote]) model.configure(backend);
    await Shelf.createTable();
    await Book.createTable();
    await Note.createTable();
    const shelf = await Shelf.create({ label: "fiction" });
    await Book.create({ shelfId: shelf.id, title: "Dune", addedAt: new Date("2026-01-02T03:04:05.678Z") });
    await Book.create({ shelfId: shelf.id, title: "Emma", addedAt: new Date("2026-02-03T04:05:06.789Z") });
    constructed = 0;
  });
  afterEach(() => close());

  it("makes loaded records of the model's class without running its constructor", async () => {
    // The first load of the model constructs one probe record to check the option is safe.
    await Book.all();
    constructed = 0;
    const books = await Book.orderBy("id").all();
    expect(constructed).toBe(0);
    expect(books.map((b) => b.title)).toEqual(["Dune", "Emma"]);
    for (const book of books) {
      expect(book).toBeInstanceOf(Book);
      expect(book).toBeInstanceOf(ActiveRecord);
      expect(book.constructor).toBe(Book);
    }
    expect(books[0]!.shout).toBe("DUNE");
    expect(books[0]!.addedAt).toEqual(new Date("2026-01-02T03:04:05.678Z"));
    expect(books[0]!.toJSON()).toMatchObject({ id: 1, shelfId: 1, title: "Dune" });
  });

  it("still runs the constructor for records made in code", async () => {
    await Book.create({ shelfId: 1, title: "Ulysses", addedAt: new Date() });
    new Book();
    expect(constructed).toBe(2);
  });

  it("tracks changes and saves loaded records like constructed ones", async () => {
    const book = await Book.findOrFail(1);
    expect(book.isDirty()).toBe(false);
    book.rename("Dune Messiah");
    book.addedAt.setUTCFullYear(2030);
    expect(book.isDirty()).toBe(true);
    await book.save();
    const again = await Book.findOrFail(1);
    expect(again.title).toBe("Dune Messiah");
    expect(again.addedAt.getUTCFullYear()).toBe(2030);
    expect(again.isDirty()).toBe(false);
    expect(await again.delete()).toBe(true);
    expect(await Book.count()).toBe(1);
  });

  it("sees a loaded date changed in place, alone, as a change (both ways of making records)", async () => {
    for (const load of [() => Book.findOrFail(2), async () => (await Book.orderBy("id").all())[1]!]) {
      const book = await load();
      const before = book.addedAt.getTime();
      book.addedAt.setUTCFullYear(2031);
      expect(book.isDirty("addedAt")).toBe(true);
      expect(book.isDirty("title")).toBe(false);
      await book.save();
      expect((await Book.findOrFail(2)).addedAt.getUTCFullYear()).toBe(2031);
      const again = await load();
      again.addedAt.setTime(before);
      await again.save();
      expect((await Book.findOrFail(2)).addedAt.getTime()).toBe(before);
    }
  });

  it("loads relations into prototype-made records", async () => {
    const [shelf] = await Shelf.with("books").all();
    expect(shelf!.books.map((b) => b.title).sort()).toEqual(["Dune", "Emma"]);
    const book = await Book.with("shelf").where({ id: 2 }).firstOrFail();
    expect(book.shelf).toBeInstanceOf(Shelf);
    expect(book.shelf.label).toBe("fiction");
  });

  it("keeps constructor state on loaded records by default", async () => {
    await Note.create({ body: "hello" });
    const note = await Note.findOrFail(1);
    expect(note.seen).toBeInstanceOf(Set);
  });

  it("refuses the option when the constructor sets state that loaded records would lack", async () => {
    await Note.create({ body: "hello" });
    const error = await CachedNote.findOrFail(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain("CachedNote");
    expect((error as Error).message).toContain("seen");
    expect((error as Error).message).toContain('hydration "constructor"');
  });
});

describe(`hydration option (${decoratorMode})`, () => {
  it("rejects values other than constructor and prototype, naming the model", () => {
    @table("odd", { hydration: "clone" as "prototype" })
    class Odd extends ActiveRecord {
      @column.id() id!: number;
    }
    expect(() => Odd.metadata).toThrow(/Odd: hydration must be "constructor" or "prototype", got "clone"/);
  });
});
