/**
 * Rebuilding a referenced parent table (alterColumn, dropColumn) keeps every
 * row of every table around it, on libSQL (foreign keys switched off) and on
 * D1 (Miniflare), where they cannot be: D1 runs ON DELETE actions even with
 * `defer_foreign_keys`, so the rows they could reach are set aside and put
 * back. The schema has what makes that hard: a CASCADE child with a CASCADE
 * grandchild, a SET NULL child without an INTEGER PRIMARY KEY (its rowids
 * must survive), a RESTRICT child, a self-reference on the parent, a parent
 * column referencing its child (a cycle), and triggers that write audit rows.
 */
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Backend } from "../../src/backend/backend.ts";
import { D1Backend, type D1Database } from "../../src/backend/d1/index.ts";
import { migrate, rollback, type Migration } from "../../src/migrate/index.ts";
import { LIBSQL_KINDS, openLibsql } from "../support/libsql.ts";

const SCHEMA = [
  `CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL UNIQUE, name TEXT, age INTEGER,
     manager_id INTEGER REFERENCES users (id) ON DELETE SET NULL, pinned_post_id INTEGER REFERENCES posts (id) ON DELETE SET NULL)`,
  "CREATE INDEX users_age ON users (age)", // so that dropping age rebuilds users too (an unused column is dropped in place)
  "CREATE TABLE posts (id INTEGER PRIMARY KEY AUTOINCREMENT, user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE, title TEXT NOT NULL)",
  "CREATE TABLE comments (id INTEGER PRIMARY KEY, post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE, body TEXT, shout TEXT GENERATED ALWAYS AS (upper(body)) VIRTUAL)",
  "CREATE TABLE likes (note TEXT NOT NULL, user_id INTEGER REFERENCES users (id) ON DELETE SET NULL)",
  "CREATE TABLE reviews (reviewer_id INTEGER NOT NULL REFERENCES users (id) ON DELETE RESTRICT, stars INTEGER NOT NULL)",
  "CREATE TABLE audit (what TEXT NOT NULL)",
  "CREATE TRIGGER posts_deleted AFTER DELETE ON posts BEGIN INSERT INTO audit (what) VALUES ('post ' || old.id || ' deleted'); END",
  "CREATE TRIGGER comments_inserted AFTER INSERT ON comments BEGIN INSERT INTO audit (what) VALUES ('comment ' || new.id || ' inserted'); END",
  "CREATE TRIGGER likes_changed AFTER UPDATE ON likes BEGIN INSERT INTO audit (what) VALUES ('like ' || old.rowid || ' changed'); END",
  "CREATE TRIGGER users_changed AFTER UPDATE ON users BEGIN INSERT INTO audit (what) VALUES ('user ' || old.id || ' changed'); END",
];

const SEED = [
  "INSERT INTO users (email, name, age) VALUES ('ann@x', 'Ann', 40), ('bob@x', 'Bob', 30), ('cy@x', NULL, 20)",
  "INSERT INTO posts (user_id, title) VALUES (1, 'a1'), (1, 'a2'), (2, 'b1'), (3, 'c1')",
  "INSERT INTO comments (id, post_id, body) VALUES (10, 1, 'nice'), (11, 1, 'ok'), (12, 3, 'hm'), (13, 4, 'yo')",
  "INSERT INTO likes (note, user_id) VALUES ('l1', 1), ('l2', 2), ('l3', 3), ('l4', 1)",
  "DELETE FROM likes WHERE note = 'l2'", // rowids 1, 3, 4: a renumbering would show
  "INSERT INTO reviews (reviewer_id, stars) VALUES (2, 5), (3, 4)",
  "UPDATE users SET manager_id = 1, pinned_post_id = 3 WHERE id = 2",
  "UPDATE users SET manager_id = 2, pinned_post_id = 4 WHERE id = 3",
  "DELETE FROM audit",
];

/** Every row of every table, rowids included; users without the column the migration drops. */
async function dump(backend: Backend): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  const queries: Record<string, string> = {
    users: "SELECT id, email, name, manager_id, pinned_post_id FROM users ORDER BY id",
    posts: "SELECT rowid AS r, * FROM posts ORDER BY rowid",
    comments: "SELECT rowid AS r, * FROM comments ORDER BY rowid",
    likes: "SELECT rowid AS r, * FROM likes ORDER BY rowid",
    reviews: "SELECT rowid AS r, * FROM reviews ORDER BY rowid",
  };
  for (const [name, sql] of Object.entries(queries)) out[name] = (await backend.execute({ sql, params: [] })).rows.map((r) => ({ ...r }));
  return out;
}

const rows = async (backend: Backend, sql: string) => (await backend.execute({ sql, params: [] })).rows.map((r) => ({ ...r }));

const changeParent: Migration = {
  up: (s) => s.alterColumn("users", "email", { type: "varchar", length: 200 }).dropColumn("users", "age"),
  // The rebuild first: on D1 a table changed in place cannot be rebuilt later in the same batch.
  down: (s) => s.alterColumn("users", "email", { type: "text" }).addColumn("users", "age", "integer", { nullable: true }),
};

function parentRebuildSuite(label: string, open: () => Promise<{ backend: Backend; close(): Promise<void> }>): void {
  describe(`rebuilding a parent table on ${label}`, () => {
    it("deletes or nulls no child or grandchild row, writes no audit row, and down restores too", async () => {
      const { backend, close } = await open();
      try {
        for (const sql of [...SCHEMA, ...SEED]) await backend.execute({ sql, params: [] });
        const before = await dump(backend);
        expect(before.likes!.map((r) => (r as { r: number }).r)).toEqual([1, 3, 4]);

        const [run] = await migrate(backend, { migrations: { "001_change_parent": changeParent } });
        // Both changes rebuild users (age is indexed, so it is not dropped in place).
        expect(run!.statements.filter((q) => q.sql.startsWith('CREATE TABLE "__edgerecord_rebuild_users"'))).toHaveLength(2);
        expect(await dump(backend)).toEqual(before);
        expect(await rows(backend, "SELECT * FROM audit")).toEqual([]);
        expect(await rows(backend, "PRAGMA foreign_key_check")).toEqual([]);
        const users = await rows(backend, "SELECT name, type FROM pragma_table_info('users') ORDER BY cid");
        expect(users.map((c) => `${String(c.name)} ${String(c.type)}`)).toEqual(["id INTEGER", "email VARCHAR(200)", "name TEXT", "manager_id INTEGER", "pinned_post_id INTEGER"]);
        // Nothing set aside is left behind.
        expect(await rows(backend, "SELECT name FROM sqlite_master WHERE name LIKE '%edgerecord_keep%' OR name LIKE '%edgerecord_rebuild%'")).toEqual([]);

        await rollback(backend, { migrations: { "001_change_parent": changeParent } });
        expect(await dump(backend)).toEqual(before);
        expect(await rows(backend, "SELECT * FROM audit")).toEqual([]);
        expect(await rows(backend, "PRAGMA foreign_key_check")).toEqual([]);
        expect((await rows(backend, "SELECT type FROM pragma_table_info('users') WHERE name = 'email'"))[0]?.type).toBe("TEXT");

        // The keys and the triggers still work: deleting a user cascades to posts and comments, nulls likes, audits.
        await backend.execute({ sql: "DELETE FROM reviews WHERE reviewer_id = 3", params: [] });
        await backend.execute({ sql: "DELETE FROM users WHERE id = 3", params: [] });
        expect(await rows(backend, "SELECT id FROM posts ORDER BY id")).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
        expect(await rows(backend, "SELECT id FROM comments ORDER BY id")).toEqual([{ id: 10 }, { id: 11 }, { id: 12 }]);
        expect(await rows(backend, "SELECT note FROM likes WHERE user_id IS NULL")).toEqual([{ note: "l3" }]);
        expect((await rows(backend, "SELECT what FROM audit ORDER BY what")).map((r) => r.what)).toEqual(["like 3 changed", "post 4 deleted"]);
        await expect(backend.execute({ sql: "INSERT INTO posts (user_id, title) VALUES (99, 'orphan')", params: [] })).rejects.toThrow();
        await expect(backend.execute({ sql: "DELETE FROM users WHERE id = 2", params: [] })).rejects.toThrow();
      } finally {
        await close();
      }
    });
  });
}

for (const kind of LIBSQL_KINDS) parentRebuildSuite(`libSQL (${kind})`, async () => openLibsql(kind));

let mf: Miniflare;
let counter = 0;
beforeAll(() => {
  mf = new Miniflare({ modules: true, script: "export default { fetch() { return new Response('') } }", d1Databases: Array.from({ length: 4 }, (_, i) => `DB${i}`) });
});
afterAll(() => mf.dispose());
const openD1 = async () => ({ backend: new D1Backend({ binding: (await mf.getD1Database(`DB${counter++}`)) as unknown as D1Database }), close: async () => undefined });

parentRebuildSuite("D1 (Miniflare)", openD1);

describe("rebuilding a parent table on D1: what stays refused", () => {
  it("without a transaction (transaction = false) the rows cannot be set aside atomically: refused, naming the child key", async () => {
    const { backend } = await openD1();
    for (const sql of [...SCHEMA, ...SEED]) await backend.execute({ sql, params: [] });
    const before = await dump(backend);
    const unsafe: Migration = { transaction: false, up: (s) => s.alterColumn("users", "email", { type: "varchar", length: 200 }) };
    await expect(migrate(backend, { migrations: { "001": unsafe } })).rejects.toThrow(
      /rebuilding users would run ON DELETE (CASCADE on posts\.user_id|SET NULL on (likes|users)\.(user_id|manager_id)).*transaction = false.*Refused: run this change in a migration with a transaction/,
    );
    expect(await dump(backend)).toEqual(before);
  });

  it("a foreign key to the parent added earlier in the same migration: refused (the batch reads the schema as it was), nothing changes", async () => {
    const { backend } = await openD1();
    for (const sql of [...SCHEMA, ...SEED]) await backend.execute({ sql, params: [] });
    const before = await dump(backend);
    const both: Migration = {
      up: (s) =>
        s.createTable("badges", (t) => t.integer("id", { primaryKey: true }).integer("user_id", { references: { table: "users", onDelete: "cascade" } })).alterColumn("users", "name", { default: "anon" }),
    };
    await expect(migrate(backend, { migrations: { "001": both } })).rejects.toThrow(/a foreign key to users was added earlier in this migration.*migration of its own/);
    expect(await dump(backend)).toEqual(before);
    expect(await rows(backend, "SELECT name FROM sqlite_master WHERE name = 'badges'")).toEqual([]);
  });
});
