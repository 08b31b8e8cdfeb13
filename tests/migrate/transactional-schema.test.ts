/**
 * Tests start from the migrated schema in one step: `useTransactionalTests(backend, { schema })`
 * and `new StateManager(backend, { schema })` create the `edgerecord.schema.json`
 * that `migrate generate` writes (its text, or the file imported as JSON)
 * inside their outer transaction, on libSQL (memory and file) and PostgreSQL:
 * rows roll back between tests, and the schema is gone after the session.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Backend } from "../../src/backend/backend.ts";
import { ActiveRecord, column, table, TransactionError } from "../../src/index.ts";
import { EMPTY_SNAPSHOT, generateMigration, serializeSnapshot } from "../../src/migrate/index.ts";
import { StateManager } from "../../src/testing/index.ts";
import { useTransactionalTests } from "../../src/testing/vitest.ts";
import { Author, BLOG, Post } from "../support/blog.ts";
import { POSTGRES } from "../support/backends.ts";
import { LIBSQL_KINDS, openLibsql } from "../support/libsql.ts";

@table("counters")
class Counter extends ActiveRecord {
  @column.id() id!: number;
  @column.bigint({ default: 10n }) hits!: bigint; // stored as { "$bigint": "10" } in the snapshot file
}

const MODELS = [...BLOG, Counter];
/** The file `migrate generate` writes for these models, as text. */
const SNAPSHOT_TEXT = serializeSnapshot(generateMigration(MODELS, EMPTY_SNAPSHOT).snapshot);

const tableNames = async (backend: Backend) => (await backend.execute(backend.dialect.listTables())).rows.map((r) => String(r.name)).sort();

type Open = () => Promise<{ backend: Backend; close(): Promise<void> }>;

function suite(label: string, open: Open): void {
  describe(`useTransactionalTests({ schema }) on ${label}`, () => {
    let db: { backend: Backend; close(): Promise<void> };
    beforeAll(async () => {
      db = await open();
    });
    afterAll(() => db.close());
    useTransactionalTests(() => db.backend, { schema: SNAPSHOT_TEXT });
    beforeAll(() => {
      for (const model of MODELS) model.configure(db.backend);
    });

    it("the file starts from the migrated schema: tables, foreign keys, defaults (a bigint one too)", async () => {
      const ann = await Author.create({ name: "Ann" });
      await Post.create({ authorId: ann.id, title: "Hello" });
      await expect(Post.create({ authorId: 999, title: "orphan" })).rejects.toThrow();
      expect(await Post.count()).toBe(1);
      const counter = await Counter.create({});
      await counter.reload();
      expect(counter.hits).toBe(10n);
    });

    it("each test's rows are rolled back, the schema stays for the next", async () => {
      expect(await Author.count()).toBe(0);
      expect(await Post.count()).toBe(0);
      await Author.execute("INSERT INTO post_tags (post_id, tag_id) SELECT p.id, t.id FROM posts p, tags t");
    });
  });

  describe(`new StateManager(backend, { schema }) on ${label}`, () => {
    it("creates the schema inside the session and leaves nothing behind; twice in a row", async () => {
      const { backend, close } = await open();
      try {
        const before = await tableNames(backend);
        for (const model of MODELS) model.configure(backend);
        // As `import schema from "./migrations/edgerecord.schema.json"` hands it over: plain JSON, "$bigint" objects and all.
        for (const schema of [SNAPSHOT_TEXT, JSON.parse(SNAPSHOT_TEXT) as { version: number; tables: object[] }]) {
          const manager = new StateManager(backend, { schema });
          await manager.connect();
          await Author.create({ name: "Ann" });
          expect(await Author.count()).toBe(1);
          expect((await Counter.create({}).then((c) => c.reload())).hits).toBe(10n);
          await manager.disconnect();
          expect(await tableNames(backend)).toEqual(before);
        }
      } finally {
        await close();
      }
    });

    it("a database that already has the tables: connect() fails, says why, and leaves the session closed", async () => {
      const { backend, close } = await open();
      try {
        await backend.execute({ sql: "CREATE TABLE authors (id INTEGER PRIMARY KEY)", params: [] });
        const manager = new StateManager(backend, { schema: SNAPSHOT_TEXT });
        const error = await manager.connect().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(TransactionError);
        expect((error as Error).message).toMatch(/StateManager\.connect\(\): the schema could not be created \(is the database empty\?\).*authors/);
        expect(manager.isConnected()).toBe(false);
        expect(await tableNames(backend)).toEqual(["authors"]);
        // The backend is free again: another session connects.
        const next = new StateManager(backend);
        await next.connect();
        await next.disconnect();
      } finally {
        await close();
      }
    });
  });
}

for (const kind of LIBSQL_KINDS) suite(`libSQL (${kind})`, async () => openLibsql(kind));
suite("PostgreSQL", () => POSTGRES.open());
