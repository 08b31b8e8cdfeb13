/**
 * Two deploys migrating at once, as two `edgerecord migrate up` processes
 * started together on one database: each migration runs exactly once (its
 * own side effect, a row it inserts, is there once), both processes exit 0,
 * and the ledger lists each once. libSQL (a file: the lock row) and
 * PostgreSQL (pg_advisory_xact_lock; the lock row too when a migration runs
 * outside a transaction).
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LibsqlBackend } from "../../src/backend/libsql/index.ts";
import { PostgresBackend } from "../../src/backend/postgres/index.ts";
import type { Backend } from "../../src/backend/backend.ts";
import { createTestSchema, type TestSchema } from "../support/postgres.ts";

const root = resolve(import.meta.dirname, "../..");
const bin = join(root, "src/migrate/node/bin.ts");
const tsx = join(root, "node_modules/.bin/tsx");

function migrateUp(dir: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done) => {
    const child = spawn(tsx, ["--conditions=source", bin, "migrate", "up"], { cwd: dir });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("close", (code) => done({ code, out, err }));
  });
}

interface Target {
  name: string;
  /** The config file's backend expression, and a backend for the test to look with. */
  open(): Promise<{ config: string; backend: Backend; close(): Promise<void> }>;
  /** A statement that takes a while, so the two processes really overlap. */
  slow: string;
}

const TARGETS: Target[] = [
  {
    name: "libSQL file",
    async open() {
      const dir = mkdtempSync(join(tmpdir(), "edgerecord-race-db-"));
      const url = `file:${join(dir, "app.db")}`;
      const backend = new LibsqlBackend({ url });
      return {
        config: `new (await import(${JSON.stringify(join(root, "src/backend/libsql/index.ts"))})).LibsqlBackend({ url: ${JSON.stringify(url)} })`,
        backend,
        async close() {
          await backend.disconnect();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
    slow: "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 300000) SELECT count(*) FROM s",
  },
  {
    name: "PostgreSQL",
    async open() {
      const schema: TestSchema = await createTestSchema();
      const backend = new PostgresBackend({ ...schema.config, max: 1 });
      return {
        config: `new (await import(${JSON.stringify(join(root, "src/backend/postgres/index.ts"))})).PostgresBackend(${JSON.stringify({ ...schema.config, max: 1 })})`,
        backend,
        async close() {
          await backend.disconnect();
          await schema.drop();
        },
      };
    },
    slow: "SELECT pg_sleep(0.3)",
  },
];

describe.each(TARGETS)("two `migrate up` processes at once on $name", (target) => {
  let dir = "";
  let db: Awaited<ReturnType<Target["open"]>>;
  beforeEach(async () => {
    db = await target.open();
    dir = mkdtempSync(join(tmpdir(), "edgerecord-race-"));
    writeFileSync(join(dir, "edgerecord.config.ts"), `export default { backend: async () => ${db.config}, migrations: "migrations" };\n`);
    mkdirSync(join(dir, "migrations"));
    writeFileSync(join(dir, "migrations/001_runs.sql"), `CREATE TABLE runs (migration TEXT NOT NULL);\nINSERT INTO runs (migration) VALUES ('001');\n${target.slow};\n`);
    writeFileSync(join(dir, "migrations/002_users.sql"), `CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\nINSERT INTO runs (migration) VALUES ('002');\n${target.slow};\n`);
    writeFileSync(join(dir, "migrations/003_age.sql"), `ALTER TABLE users ADD COLUMN age INTEGER;\nINSERT INTO runs (migration) VALUES ('003');\n`);
  });
  afterEach(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("applies each migration exactly once; both exit 0", async () => {
    const [a, b] = await Promise.all([migrateUp(dir), migrateUp(dir)]);
    expect(a.code, a.err).toBe(0);
    expect(b.code, b.err).toBe(0);
    const applied = (a.out + b.out).split("\n").filter((line) => line.startsWith("applied ")).sort();
    expect(applied).toEqual(["applied 001_runs", "applied 002_users", "applied 003_age"]);
    const runs = await db.backend.execute({ sql: "SELECT migration FROM runs ORDER BY migration", params: [] });
    expect(runs.rows.map((r) => r.migration)).toEqual(["001", "002", "003"]);
    const ledger = await db.backend.execute({ sql: "SELECT name FROM edgerecord_migrations ORDER BY name", params: [] });
    expect(ledger.rows.map((r) => r.name)).toEqual(["001_runs", "002_users", "003_age"]);
  }, 60_000);

  it("runs a migration outside a transaction (CREATE INDEX CONCURRENTLY on PostgreSQL) once too", async () => {
    const index = target.name === "PostgreSQL" ? "CREATE INDEX CONCURRENTLY users_email ON users (email)" : "CREATE INDEX users_email ON users (email)";
    writeFileSync(join(dir, "migrations/004_index.sql"), `-- migrate:no-transaction\nINSERT INTO runs (migration) VALUES ('004');\n${target.slow};\n${index};\n`);
    const [a, b] = await Promise.all([migrateUp(dir), migrateUp(dir)]);
    expect(a.code, a.err).toBe(0);
    expect(b.code, b.err).toBe(0);
    const runs = await db.backend.execute({ sql: "SELECT migration FROM runs ORDER BY migration", params: [] });
    expect(runs.rows.map((r) => r.migration)).toEqual(["001", "002", "003", "004"]);
  }, 60_000);
});
