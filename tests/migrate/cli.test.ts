/** The `edgerecord` bin, spawned as a user runs it (through tsx, on the TypeScript sources): exit codes and output. */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const bin = join(root, "src/migrate/node/bin.ts");
const tsx = join(root, "node_modules/.bin/tsx");
let dir = "";

function cli(...args: string[]) {
  const r = spawnSync(tsx, ["--conditions=source", bin, "migrate", ...args], { cwd: dir, encoding: "utf8", env: { ...process.env, DATABASE_URL: `file:${join(dir, "app.db")}` } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "edgerecord-cli-"));
  writeFileSync(
    join(dir, "edgerecord.config.ts"),
    `import { LibsqlBackend } from ${JSON.stringify(join(root, "src/backend/libsql/index.ts"))};
export default { backend: () => new LibsqlBackend({ url: process.env.DATABASE_URL! }), migrations: "migrations" };
`,
  );
  mkdirSync(join(dir, "migrations"));
  writeFileSync(
    join(dir, "migrations/001_users.ts"),
    `export function up(s: any) { s.createTable("users", (t: any) => { t.integer("id", { primaryKey: true, autoIncrement: true }); t.text("email"); }); }
export function down(s: any) { s.dropTable("users"); }
`,
  );
  writeFileSync(join(dir, "migrations/002_age.sql"), "-- migrate:up\nALTER TABLE users ADD COLUMN age INTEGER;\n-- migrate:down\nALTER TABLE users DROP COLUMN age;\n");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("edgerecord migrate (CLI)", () => {
  it("up, status, down, redo and dry runs exit 0 and say what they did", () => {
    const dry = cli("up", "--dry-run");
    expect(dry.code).toBe(0);
    expect(dry.out).toContain('-- 001_users (up)\nCREATE TABLE "users"');
    expect(dry.out).toContain("ALTER TABLE users ADD COLUMN age INTEGER;");
    expect(cli("status").out).toMatch(/pending {2}001_users\npending {2}002_age/);
    const up = cli("up");
    expect(up.code).toBe(0);
    expect(up.out).toBe("applied 001_users\napplied 002_age\n");
    expect(cli("status").out).toMatch(/applied {2}001_users \(batch 1\)\napplied {2}002_age \(batch 1\)/);
    expect(cli("redo").out).toBe("reverted 002_age\napplied 002_age\n");
    const downDry = cli("down", "--step", "2", "--dry-run");
    expect(downDry.out).toContain("-- 002_age (down)\nALTER TABLE users DROP COLUMN age;");
    expect(cli("down", "--to", "001_users").out).toBe("reverted 002_age\n");
    expect(cli("down").code).toBe(0);
    expect(cli("status").out).toMatch(/pending {2}001_users/);
  });

  it("make writes a timestamped migration", () => {
    const made = cli("make", "add_posts");
    expect(made.code).toBe(0);
    expect(readdirSync(join(dir, "migrations")).find((f) => /^\d{14}_add_posts\.ts$/.test(f))).toBeDefined();
  });

  it("a failing migration exits 1 with the cause; usage errors exit 2; a changed applied file makes status exit 1", () => {
    writeFileSync(join(dir, "migrations/003_bad.sql"), "CREATE TABLE ok (id INTEGER);\nINSERT INTO nowhere VALUES (1);\n");
    const failed = cli("up");
    expect(failed.code).toBe(1);
    expect(failed.err).toMatch(/MigrationError \[MIGRATION\]: migration 003_bad \(up\) failed and was rolled back/);
    expect(failed.err).toMatch(/nowhere/);
    rmSync(join(dir, "migrations/003_bad.sql"));
    expect(cli("sideways").code).toBe(2);
    expect(cli("down", "--step", "zero").code).toBe(2);
    expect(cli("up", "--config", "missing.ts").code).toBe(2);
    writeFileSync(join(dir, "migrations/002_age.sql"), "ALTER TABLE users ADD COLUMN age BIGINT;\n");
    const st = cli("status");
    expect(st.code).toBe(1);
    expect(st.out).toMatch(/002_age \(batch 1\) {2}CHANGED since applied/);
  });
});
