/** The migration behaviours every backend must show; each test file runs this on its own databases. */
import { describe, expect, it } from "vitest";
import type { Backend } from "../../src/backend/backend.ts";
import { LEDGER_TABLE, migrate, MigrationError, rollback, status, type Migration } from "../../src/migrate/index.ts";
import { addAge, all as allMigrations, createUsersAndPosts, introspect } from "./fixtures.ts";

export interface Target {
  /** A fresh, empty database. */
  open(): Promise<{ backend: Backend; close(): Promise<void> }>;
  /** A second backend on the same database as the last `open()` (for racing migrators); undefined where there is none. */
  second?(): Backend | undefined;
}

async function ledger(backend: Backend): Promise<string[]> {
  const { rows } = await backend.execute({ sql: `SELECT name FROM ${backend.dialect.quoteIdentifier(LEDGER_TABLE)} ORDER BY name`, params: [] });
  return rows.map((r) => String(r.name));
}

export function migrationSuite(label: string, target: Target, all: Record<string, Migration> = allMigrations): void {
  const requireName = all["003_require_name"]!;
  const using = async (fn: (backend: Backend) => Promise<void>) => {
    const db = await target.open();
    try {
      await fn(db.backend);
    } finally {
      await db.close();
    }
  };

  describe(`migrations on ${label}`, () => {
    it("up, down to nothing, and up again leave the same schema; redo of the last one too", () =>
      using(async (backend) => {
        const empty = await introspect(backend);
        const applied = await migrate(backend, { migrations: all });
        expect(applied.map((r) => r.name)).toEqual(["001_users_posts", "002_age", "003_require_name"]);
        const up = await introspect(backend);
        expect(up).toContain("age");
        // Redo: down one, up again.
        await rollback(backend, { migrations: all });
        expect(await ledger(backend)).toEqual(["001_users_posts", "002_age"]);
        await migrate(backend, { migrations: all });
        expect(await introspect(backend)).toBe(up);
        await rollback(backend, { migrations: all, step: 3 });
        expect(await introspect(backend)).toBe(empty);
        expect(await ledger(backend)).toEqual([]);
        await migrate(backend, { migrations: all });
        expect(await introspect(backend)).toBe(up);
        await rollback(backend, { migrations: all, to: "001_users_posts" });
        expect(await ledger(backend)).toEqual(["001_users_posts"]);
      }));

    it("applies a migration older than applied ones (membership, not a high-water mark), and refuses it under strictOrder", () =>
      using(async (backend) => {
        await migrate(backend, { migrations: { "001_users_posts": createUsersAndPosts, "003_require_name": requireName } });
        const before = await status(backend, { migrations: all });
        expect(before.pending).toEqual(["002_age"]);
        expect(before.outOfOrder).toEqual(["002_age"]);
        await expect(migrate(backend, { migrations: all, strictOrder: true })).rejects.toThrow(/002_age.*strictOrder/);
        const messages: string[] = [];
        const ran = await migrate(backend, { migrations: all, log: (m) => messages.push(m) });
        expect(ran.map((r) => r.name)).toEqual(["002_age"]);
        expect(messages.join("\n")).toMatch(/002_age are older than applied ones/);
        expect(await ledger(backend)).toEqual(["001_users_posts", "002_age", "003_require_name"]);
        expect((await status(backend, { migrations: all })).pending).toEqual([]);
      }));

    it("reports an applied migration whose content changed, and one that is missing", () =>
      using(async (backend) => {
        await migrate(backend, { migrations: all });
        const edited: Migration = { change: (s) => s.addColumn("users", "age", "bigint", { nullable: true }) };
        const report = await status(backend, { migrations: { "001_users_posts": createUsersAndPosts, "002_age": edited } });
        expect(report.changed).toEqual(["002_age"]);
        expect(report.missing).toEqual(["003_require_name"]);
        expect(report.pending).toEqual([]);
      }));

    it("a failing migration changes nothing and records nothing", () =>
      using(async (backend) => {
        await migrate(backend, { migrations: { "001_users_posts": createUsersAndPosts } });
        await backend.execute({ sql: "INSERT INTO users (email, name) VALUES ('a@x', 'A')", params: [] });
        const before = await introspect(backend);
        const broken: Migration = {
          up(schema) {
            schema.createTable("tags", (t) => t.integer("id", { primaryKey: true }));
            schema.addColumn("users", "plan", "text", { default: "free" });
            schema.raw("UPDATE users SET plan = ? WHERE email = ?", ["pro", "a@x"]);
            schema.raw("INSERT INTO no_such_table VALUES (1)");
          },
        };
        const error = await migrate(backend, { migrations: { "001_users_posts": createUsersAndPosts, "002_broken": broken } }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(MigrationError);
        expect((error as MigrationError).code).toBe("MIGRATION");
        expect((error as MigrationError).migration).toBe("002_broken");
        expect(await introspect(backend)).toBe(before);
        expect(await ledger(backend)).toEqual(["001_users_posts"]);
      }));

    it(".sql migrations run with their down section", () =>
      using(async (backend) => {
        const sql = "-- migrate:up\nCREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL DEFAULT 'a;b');\nCREATE INDEX idx_notes_body ON notes (body);\n-- migrate:down\nDROP TABLE notes;\n";
        await migrate(backend, { migrations: { "001_notes": sql } });
        await backend.execute({ sql: "INSERT INTO notes (id) VALUES (1)", params: [] });
        expect((await backend.execute({ sql: "SELECT body FROM notes", params: [] })).rows[0]?.body).toBe("a;b");
        await rollback(backend, { migrations: { "001_notes": sql } });
        expect(await ledger(backend)).toEqual([]);
      }));

    it("dry run returns the statements and changes nothing", () =>
      using(async (backend) => {
        const before = await introspect(backend);
        const runs = await migrate(backend, { migrations: { "001_users_posts": createUsersAndPosts }, dryRun: true });
        expect(runs[0]!.statements.map((s) => s.sql).join("\n")).toMatch(/CREATE TABLE "users"/);
        expect(await introspect(backend)).toBe(before);
        expect(await ledger(backend)).toEqual([]);
      }));

    it("two migrators racing apply each migration exactly once", () =>
      using(async (backend) => {
        const other = target.second?.();
        if (!other) return;
        try {
          const [a, b] = await Promise.all([migrate(backend, { migrations: all }), migrate(other, { migrations: all })]);
          const names = [...a, ...b].map((r) => r.name).sort();
          expect(names).toEqual(["001_users_posts", "002_age", "003_require_name"]);
          expect(await ledger(backend)).toEqual(["001_users_posts", "002_age", "003_require_name"]);
        } finally {
          await other.disconnect();
        }
      }));

    it("changing a parent table keeps every row and every child row (foreign keys fire no action)", () =>
      using(async (backend) => {
        await migrate(backend, { migrations: { "001_users_posts": createUsersAndPosts, "002_age": addAge } });
        for (let u = 1; u <= 3; u++) {
          await backend.execute({ sql: `INSERT INTO users (email) VALUES ('u${u}@x')`, params: [] });
          for (let p = 1; p <= 2; p++) await backend.execute({ sql: `INSERT INTO posts (user_id, title) VALUES (${u}, 't${p}')`, params: [] });
        }
        const retype: Migration = {
          up: (s) => s.alterColumn("users", "email", { type: "varchar", length: 200 }).dropColumn("users", "age"),
          down: (s) => s.addColumn("users", "age", "integer", { nullable: true }),
        };
        const migrations = { "001_users_posts": createUsersAndPosts, "002_age": addAge, "003_retype": retype };
        await migrate(backend, { migrations });
        const posts = await backend.execute({ sql: "SELECT user_id FROM posts ORDER BY id", params: [] });
        expect(posts.rows.map((r) => Number(r.user_id))).toEqual([1, 1, 2, 2, 3, 3]);
        expect((await backend.execute({ sql: "SELECT count(*) AS n FROM users", params: [] })).rows[0]?.n).toBe(backend.dialect.capabilities.alterColumn ? "3" : 3);
        // The foreign key still holds and still cascades after the rebuild.
        await expect(backend.execute({ sql: "INSERT INTO posts (user_id, title) VALUES (99, 'orphan')", params: [] })).rejects.toThrow();
        await backend.execute({ sql: "DELETE FROM users WHERE id = 1", params: [] });
        expect((await backend.execute({ sql: "SELECT count(*) AS n FROM posts", params: [] })).rows.map((r) => Number(r.n))).toEqual([4]);
        await rollback(backend, { migrations });
        expect((await backend.execute({ sql: "SELECT count(*) AS n FROM posts", params: [] })).rows.map((r) => Number(r.n))).toEqual([4]);
      }));
  });
}
