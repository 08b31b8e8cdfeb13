/**
 * Migrations on D1 (Miniflare's local D1, SQLite inside workerd): each
 * migration is one atomic batch, and a parent table's rebuild must not fire
 * ON DELETE CASCADE (D1 ignores `foreign_keys = OFF`; `defer_foreign_keys`
 * is what it honours).
 */
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { D1Backend, type D1Database } from "../../src/backend/d1/index.ts";
import { migrate, status, type Migration } from "../../src/migrate/index.ts";
import { addAge, allChildRebuild, createUsersAndPosts, introspect } from "./fixtures.ts";
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
  it("refuses to rebuild a parent whose children cascade (D1 would delete them), and keeps every row", async () => {
    const backend = await fresh();
    const migrations = { "001": createUsersAndPosts, "002": addAge };
    await migrate(backend, { migrations });
    await seed(backend);
    const retype: Migration = { up: (s) => s.alterColumn("users", "email", { type: "varchar", length: 200 }), down: (s) => s.alterColumn("users", "email", { type: "text" }) };
    await expect(migrate(backend, { migrations: { ...migrations, "003": retype } })).rejects.toThrow(/ON DELETE CASCADE on posts\.user_id/);
    const posts = await backend.execute({ sql: "SELECT user_id FROM posts ORDER BY id", params: [] });
    expect(posts.rows.map((r) => Number(r.user_id))).toEqual([1, 1, 2, 2, 3, 3]);
  });

  // D1 counts the old parent's rows as deleted children-orphaning rows when it is dropped, and the
  // deferred count is not undone by the rename: the batch fails at its end, and D1 rolls it all back.
  it("a rebuild of a parent referenced without an action fails as a whole on D1, keeping every row", async () => {
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
    await expect(migrate(backend, { migrations: { "001": plain, "002": retype } })).rejects.toThrow(/002 \(up\) failed and was rolled back.*FOREIGN KEY/);
    const posts = await backend.execute({ sql: "SELECT user_id FROM posts ORDER BY id", params: [] });
    expect(posts.rows.map((r) => Number(r.user_id))).toEqual([1, 1, 2, 2, 3, 3]);
    expect(await introspect(backend)).not.toContain("VARCHAR(200)");
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
}, allChildRebuild);
