/**
 * The one smoke scenario every runtime runs, unchanged: Node (vitest), Deno,
 * Bun, workerd (a bundled Worker in Miniflare) and the Vercel edge runtime.
 *
 * Decorators are compiled, not run-time-selected, so each runtime compiles
 * this file once per decorator mode; `decoratorsSeen` reports which mode the
 * compiler actually applied, so a runtime that silently used the other one
 * fails the test. It imports only the driver-free core: the caller hands it a
 * backend, so the same file also runs where no native driver can load.
 *
 * It returns observations as plain JSON (the child runtimes print it), and
 * `expectedReport` in ./expected.ts says what every runtime must observe.
 */
import { z } from "zod";
import { ActiveRecord, between, column, gte, isNull, lt, oneOf, or, startsWith, table, ValidationError, type Backend } from "../../src/index.ts";

let decoratorsSeen: "tc39" | "legacy" | "none" = "none";

/** A class decorator that only notes how it was called: TC39 passes a context object, legacy does not. */
function probe(_value: unknown, context?: unknown): void {
  decoratorsSeen = typeof context === "object" && context !== null ? "tc39" : "legacy";
}

/** Shorthand spelling: `@column.text()`. */
@probe
@table("rt_authors")
export class Author extends ActiveRecord {
  @column.id() id!: number;
  @column.text({ unique: true, validate: z.string().email() }) email!: string;
  @column.text({ nullable: true }) name!: string | null;
  @column.integer({ default: 0 }) posts!: number;
  @column.boolean({ default: true }) active!: boolean;
  @column.datetime({ default: "now" }) createdAt!: Date;
}

/** Explicit spelling: `@column({ type })`, a JSON column and a string key given by the app. */
@table("rt_notes")
export class Note extends ActiveRecord {
  @column({ type: "text", primaryKey: true }) slug!: string;
  @column({ type: "integer", references: { table: "rt_authors", onDelete: "cascade" } }) authorId!: number;
  @column({ type: "json", nullable: true }) tags!: string[] | null;
}

export interface ScenarioReport {
  runtime: string;
  decorators: string;
  crud: Record<string, unknown>;
  query: Record<string, unknown>;
  transaction: Record<string, unknown>;
  validation: Record<string, unknown>;
}

/** `{ name, code, message }` of an error, for comparing across realms (no instanceof). */
function describe(error: unknown): { name: string; code: unknown; message: string } {
  const e = error as { name?: string; code?: unknown; message?: string };
  return { name: e?.constructor?.name ?? String(e?.name), code: e?.code, message: String(e?.message) };
}

async function expectFailure(work: () => Promise<unknown>): Promise<{ name: string; code: unknown; message: string }> {
  try {
    await work();
  } catch (error) {
    return describe(error);
  }
  return { name: "none", code: null, message: "did not fail" };
}

export async function runScenario(backend: Backend, runtime: string): Promise<ScenarioReport> {
  Author.configure(backend);
  Note.configure(backend);
  await Note.dropTable({ ifExists: true });
  await Author.dropTable({ ifExists: true });
  await Author.createTable();
  await Note.createTable();

  // ---- CRUD --------------------------------------------------------------------
  const ann = await Author.create({ email: "ann@example.com", name: "Ann", posts: 3 });
  await Author.create({ email: "abe@example.com", name: "Abe", posts: 1 });
  await Author.create({ email: "bo@example.com", name: null, posts: 7, active: false });
  await Note.create({ slug: "hello", authorId: ann.id, tags: ["a", "b"] });
  const found = await Author.find(ann.id);
  ann.name = "Annie";
  const dirtyBeforeSave = ann.isDirty("name");
  await ann.save();
  const reloaded = await Author.findOrFail(ann.id);
  const note = await Note.find("hello");
  const toDelete = await Author.findBy({ email: "abe@example.com" });
  const deleted = await toDelete!.delete();
  const crud = {
    firstId: ann.id,
    foundIsAuthor: found instanceof Author,
    createdAtIsDate: found?.createdAt instanceof Date,
    active: found?.active,
    dirtyBeforeSave,
    dirtyAfterSave: ann.isDirty(),
    reloadedName: reloaded.name,
    noteTags: note?.tags,
    deleted,
    missing: await Author.find(999_999),
    remaining: await Author.count(),
  };

  // ---- a query with operators ---------------------------------------------------------
  await Author.create({ email: "al@example.com", name: "Al", posts: 5 });
  const query = {
    likeAndGte: (await Author.where({ name: startsWith("A"), posts: gte(3) }).orderBy("posts", "desc").all()).map((a) => a.email),
    inList: await Author.where({ email: oneOf(["bo@example.com", "al@example.com"]) }).orderBy("email").pluck("email"),
    between: await Author.where({ posts: between(4, 7) }).count(),
    isNull: await Author.where({ name: isNull() }).pluck("email"),
    or: await Author.where(or({ posts: lt(4) }, { active: false })).orderBy("id").pluck("posts"),
    sumPosts: await Author.sum("posts"),
  };

  // ---- transactions: capability-gated, as the model layer is -------------------------------
  const transaction = backend.dialect.capabilities.interactiveTransactions ? await nestedTransactions() : await batchTransactions();

  // ---- a validation error ----------------------------------------------------------------------
  const before = await Author.count();
  let validation: Record<string, unknown> = { thrown: false };
  try {
    await Author.create({ email: "not-an-email", name: "X" });
  } catch (error) {
    validation = {
      thrown: true,
      isValidationError: error instanceof ValidationError,
      fields: (error as ValidationError).issues?.map((i) => i.field),
      code: (error as ValidationError).code,
    };
  }
  validation.nothingInserted = (await Author.count()) === before;

  return { runtime, decorators: decoratorsSeen, crud, query, transaction, validation };
}

/** Interactive transactions (with savepoints): an inner scope rolls back alone, an outer failure rolls back everything. */
async function nestedTransactions(): Promise<Record<string, unknown>> {
  const innerError = await Author.transaction(async () => {
    await Author.create({ email: "outer@example.com", posts: 1 });
    return expectFailure(() =>
      Author.transaction(async () => {
        await Author.create({ email: "inner@example.com", posts: 1 });
        throw new Error("inner fails");
      }),
    );
  });
  const outerError = await expectFailure(() =>
    Author.transaction(async () => {
      await Author.create({ email: "doomed@example.com", posts: 1 });
      await Author.transaction(async () => Author.create({ email: "doomed-inner@example.com", posts: 1 }));
      throw new Error("outer fails");
    }),
  );
  return {
    kind: "nested",
    innerError: innerError.message,
    outerError: outerError.message,
    kept: await Author.where({ email: oneOf(["outer@example.com", "inner@example.com"]) }).pluck("email"),
    rolledBack: await Author.where({ email: startsWith("doomed") }).count(),
  };
}

/**
 * Backends without interactive transactions (D1): a scope is one atomic batch
 * of writes sent at commit; reads inside it and nesting are refused, clearly.
 */
async function batchTransactions(): Promise<Record<string, unknown>> {
  await Author.transaction(async () => {
    await Author.updateWhere({ email: "ann@example.com" }, { posts: 10 });
    await Author.updateWhere({ email: "al@example.com" }, { posts: 20 });
  });
  // The second statement breaks the unique email: the whole batch, the first update too, is undone.
  const batchError = await expectFailure(() =>
    Author.transaction(async () => {
      await Author.updateWhere({ email: "ann@example.com" }, { posts: 99 });
      await Author.updateWhere({ email: "al@example.com" }, { email: "ann@example.com" });
    }),
  );
  const nested = await expectFailure(() => Author.transaction(() => Author.transaction(async () => 1)));
  const read = await expectFailure(() => Author.transaction(() => Author.count()));
  const isolation = await expectFailure(() => Author.transaction(async () => 1, { isolation: "serializable" }));
  return {
    kind: "batch",
    committed: await Author.where({ email: oneOf(["ann@example.com", "al@example.com"]) }).orderBy("email").pluck("posts"),
    batchError: batchError.name,
    nested,
    read,
    isolation,
  };
}
