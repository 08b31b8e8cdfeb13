/**
 * Migrations on D1 (Miniflare's local D1, SQLite inside workerd): each
 * migration is one atomic batch, and a parent table's rebuild must not fire
 * ON DELETE CASCADE (D1 ignores `foreign_keys = OFF`; `defer_foreign_keys`
 * is what it honours, and it defers checks, not actions).
 */
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { D1Backend, type D1Database } from "../../src/backend/d1/index.ts";
import { migrate, status, type Migration } from "../../src/migrate/index.ts";
import { addAge, createUsersAndPosts, introspect } from "./fixtures.ts";
import { migrationSuite } from "./suite.ts";

let mf: Miniflare;
let counter = 0;
beforeAll(() => {
  mf = new Miniflare({ modules: true, script: "export default { fetch() { return new Response('') } }", d1Databases: Array.from({ length: 12 }, (_, i) => `DB${i}`) });
});
afterAll(() => mf.dispose());

async function seed(backend: D1Backend): Promise<void> {
  for (let u = 1; u <= 3; u++) {
    await backend.execute({ sql: `INSERT INTO users (email) VALUES ('u${u}@x')`, params: [] });
    for (let p = 1; p <= 2; p++) await backend.execute({ sql: `INSERT INTO posts (user_id, title) VALUES (${u}, 't${p}')`, params: [] });
  }
}

async function fresh(): Promise<D1Backend> {
  const db = (await mf.getD1Database(`DB${counter++}`)) as unknown as D1Database;
  return new D1Backend({ binding: db });
}

describe("migrations on D1", () => {
  // D1 cannot switch foreign keys off; the rows a parent's DROP could reach are set aside and put back
  // (parent-rebuild.test.ts has the hard cases: grandchildren, triggers, self-references, cycles, rowids).
  it("rebuilds a parent whose children cascade, keeping every row", async () => {
    const backend = await fresh();
    const migrations = { "001": createUsersAndPosts, "002": addAge };
    await migrate(backend, { migrations });
    await seed(backend);
    const retype: Migration = { up: (s) => s.alterColumn("users", "email", { type: "varchar", length: 200 }), down: (s) => s.alterColumn("users", "email", { type: "text" }) };
    await migrate(backend, { migrations: { ...migrations, "003": retype } });
    const posts = await backend.execute({ sql: "SELECT user_id FROM posts ORDER BY id", params: [] });
    expect(posts.rows.map((r) => Number(r.user_id))).toEqual([1, 1, 2, 2, 3, 3]);
    expect(await introspect(backend)).toContain("VARCHAR(200)");
  });

  // Before, the DROP of the old parent left the children counted as orphans and the whole batch failed.
  it("rebuilds a parent referenced without an action, keeping every row", async () => {
    const backend = await fresh();
    const plain: Migration = {
      change(s) {
        s.createTable("users", (t) => t.integer("id", { primaryKey: true, autoIncrement: true }).text("email"));
        s.createTable("posts", (t) => t.integer("id", { primaryKey: true, autoIncrement: true }).integer("user_id", { references: "users.id" }).text("title"));
      },
    };
    const retype: Migration = { up: (s) => s.alterColumn("users", "email", { type: "varchar", length: 200 }), down: (s) => s.alterColumn("users", "email", { type: "text" }) };
    await migrate(backend, { migrations: { "001": plain } });
    await seed(backend);
    await migrate(backend, { migrations: { "001": plain, "002": retype } });
    const posts = await backend.execute({ sql: "SELECT user_id FROM posts ORDER BY id", params: [] });
    expect(posts.rows.map((r) => Number(r.user_id))).toEqual([1, 1, 2, 2, 3, 3]);
    expect(await introspect(backend)).toContain("VARCHAR(200)");
    await expect(backend.execute({ sql: "INSERT INTO posts (user_id, title) VALUES (99, 'orphan')", params: [] })).rejects.toThrow();
  });

  it("a failing migration leaves the schema and the ledger as they were", async () => {
    const backend = await fresh();
    await migrate(backend, { migrations: { "001": createUsersAndPosts } });
    const before = await introspect(backend);
    const broken: Migration = { up: (s) => s.createTable("tags", (t) => t.integer("id", { primaryKey: true })).raw("INSERT INTO nowhere VALUES (1)") };
    await expect(migrate(backend, { migrations: { "001": createUsersAndPosts, "002": broken } })).rejects.toThrow(/002.*rolled back/);
    expect(await introspect(backend)).toBe(before);
    expect((await status(backend, { migrations: { "001": createUsersAndPosts, "002": broken } })).pending).toEqual(["002"]);
  });
});

migrationSuite("D1 (Miniflare)", {
  async open() {
    return { backend: await fresh(), close: async () => undefined };
  },
});
