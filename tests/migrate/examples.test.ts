/** The example migrations really evolve a schema, keep the data through it, and roll back. */
import { describe, expect, it } from "vitest";
import { migrate, rollback } from "../../src/migrate/index.ts";
import { loadMigrationFolder } from "../../src/migrate/node/load.ts";
import { openLibsql } from "../support/libsql.ts";

describe("examples/migrations", () => {
  it("adds a column with a backfill, renames a column, splits a table, and rolls all of it back", async () => {
    const db = openLibsql("file");
    try {
      const all = await loadMigrationFolder("examples/migrations/migrations");
      const names = Object.keys(all);
      const first = { [names[0]!]: all[names[0]!]! };
      await migrate(db.backend, { migrations: first });
      await db.backend.execute({ sql: "INSERT INTO users (email, name, street, city) VALUES ('a@x', 'Ann', 'Main 1', 'Oslo'), ('b@x', 'Bo', NULL, NULL)", params: [] });
      await db.backend.execute({ sql: "INSERT INTO posts (user_id, title) VALUES (1, 'p1'), (2, 'p2')", params: [] });
      await migrate(db.backend, { migrations: all });
      const users = await db.backend.execute({ sql: "SELECT id, full_name, plan FROM users ORDER BY id", params: [] });
      expect(users.rows).toEqual([{ id: 1, full_name: "Ann", plan: "free" }, { id: 2, full_name: "Bo", plan: "free" }]);
      expect((await db.backend.execute({ sql: "SELECT user_id, city FROM addresses", params: [] })).rows).toEqual([{ user_id: 1, city: "Oslo" }]);
      expect((await db.backend.execute({ sql: "SELECT count(*) AS n FROM posts", params: [] })).rows[0]?.n).toBe(2);
      await rollback(db.backend, { migrations: all, to: names[0]! });
      expect((await db.backend.execute({ sql: "SELECT name, city FROM users ORDER BY id", params: [] })).rows).toEqual([{ name: "Ann", city: "Oslo" }, { name: "Bo", city: null }]);
      expect((await db.backend.execute({ sql: "SELECT count(*) AS n FROM posts", params: [] })).rows[0]?.n).toBe(2);
    } finally {
      await db.close();
    }
  });
});
