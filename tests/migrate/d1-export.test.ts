/**
 * `migrate generate --d1 <dir>`: numbered `.sql` files in wrangler's
 * migrations_dir layout, applied to a Miniflare D1 as `wrangler d1 migrations
 * apply` does (each file's statements as one batch), leave the models' schema.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { D1Backend, type D1Database } from "../../src/backend/d1/index.ts";
import { ActiveRecord, column, table } from "../../src/index.ts";
import { detectDrift, EMPTY_SNAPSHOT, generateMigration, snapshotFromModels, splitStatements } from "../../src/migrate/index.ts";
import { d1Sql } from "../../src/migrate/node/d1-export.ts";
import { BLOG } from "../support/blog.ts";

@table("accounts")
class AccountV1 extends ActiveRecord {
  @column.id() id!: number;
  @column.text({ nullable: true }) name!: string | null;
}

@table("accounts")
class AccountV2 extends ActiveRecord {
  @column.id() id!: number;
  @column.text({ default: "anonymous" }) fullName!: string; // renamed, then made NOT NULL: a rebuild after a rename
}

@table("teams")
class TeamV1 extends ActiveRecord {
  @column.id() id!: number;
  @column.text() name!: string;
}

@table("teams")
class TeamV2 extends ActiveRecord {
  @column.id() id!: number;
  @column.varchar(80) name!: string; // a retyped column of a parent: a rebuild
}

@table("members")
class Member extends ActiveRecord {
  @column.id() id!: number;
  @column.integer({ references: { table: "teams", onDelete: "cascade" } }) teamId!: number;
  @column.text() name!: string;
}

let mf: Miniflare;
beforeAll(() => {
  mf = new Miniflare({ modules: true, script: "export default { fetch() { return new Response('') } }", d1Databases: ["A", "B", "C"] });
});
afterAll(() => mf.dispose());

/** As wrangler applies a migration file: its statements in one batch. */
async function apply(db: D1Database, sql: string): Promise<void> {
  const statements = splitStatements(sql).filter((s) => s.trim());
  await db.batch(statements.map((s) => db.prepare(s)));
}

describe("D1 .sql export", () => {
  it("the .sql of each generated migration, applied in order to D1, leaves the models' schema, rows kept", async () => {
    const db = (await mf.getD1Database("A")) as unknown as D1Database;
    const backend = new D1Backend({ binding: db });
    const v1 = generateMigration([...BLOG, AccountV1], EMPTY_SNAPSHOT);
    const first = await d1Sql(EMPTY_SNAPSHOT, v1.up);
    expect(first).toMatch(/^-- Generated[^\n]*\nPRAGMA defer_foreign_keys = ON;\nCREATE TABLE "accounts"/);
    await apply(db, first);
    expect(await detectDrift(backend, v1.snapshot)).toEqual([]);
    await backend.execute({ sql: "INSERT INTO accounts (name) VALUES ('Ann'), (NULL)", params: [] });

    const v2 = generateMigration([...BLOG, AccountV2], v1.snapshot, { renames: ["accounts.name:full_name"] });
    const second = await d1Sql(v1.snapshot, v2.up);
    expect(second).toContain('ALTER TABLE "accounts" RENAME COLUMN "name" TO "full_name"');
    // The NULL name is backfilled by hand before the NOT NULL rebuild, as a reviewer would add it.
    await apply(db, second.replace("PRAGMA defer_foreign_keys = ON;", "PRAGMA defer_foreign_keys = ON;\nUPDATE accounts SET name = 'anonymous' WHERE name IS NULL;"));
    expect(await detectDrift(backend, snapshotFromModels([...BLOG, AccountV2]))).toEqual([]);
    const rows = await backend.execute({ sql: "SELECT full_name FROM accounts ORDER BY id", params: [] });
    expect(rows.rows.map((r) => r.full_name)).toEqual(["Ann", "anonymous"]);
  });

  it("the .sql rebuilding a parent whose children cascade keeps every child row on D1", async () => {
    const db = (await mf.getD1Database("C")) as unknown as D1Database;
    const backend = new D1Backend({ binding: db });
    const v1 = generateMigration([TeamV1, Member], EMPTY_SNAPSHOT);
    await apply(db, await d1Sql(EMPTY_SNAPSHOT, v1.up));
    await backend.execute({ sql: "INSERT INTO teams (name) VALUES ('red'), ('blue')", params: [] });
    await backend.execute({ sql: "INSERT INTO members (team_id, name) VALUES (1, 'ann'), (2, 'bob'), (2, 'cy')", params: [] });
    const v2 = generateMigration([TeamV2, Member], v1.snapshot);
    const sql = await d1Sql(v1.snapshot, v2.up);
    expect(sql).toContain('CREATE TABLE "_edgerecord_keep_members" AS SELECT');
    await apply(db, sql);
    expect(await detectDrift(backend, v2.snapshot)).toEqual([]);
    const members = await backend.execute({ sql: "SELECT id, team_id, name FROM members ORDER BY id", params: [] });
    expect(members.rows.map((r) => `${String(r.id)}:${String(r.team_id)}:${String(r.name)}`)).toEqual(["1:1:ann", "2:2:bob", "3:2:cy"]);
  });

  it("the CLI writes 0001_<name>.sql, 0002_<name>.sql... into the --d1 folder", async () => {
    const root = resolve(import.meta.dirname, "../..");
    const dir = mkdtempSync(join(tmpdir(), "edgerecord-d1-"));
    try {
      writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { target: "es2022", experimentalDecorators: process.env.EDGERECORD_DECORATORS === "legacy" } }));
      const models = (extra: string) =>
        writeFileSync(
          join(dir, "models.ts"),
          `import { ActiveRecord, column, table } from ${JSON.stringify(join(root, "src/index.ts"))};
@table("notes") export class Note extends ActiveRecord { @column.id() id!: number; @column.text() body!: string; ${extra} }\n`,
        );
      models("");
      writeFileSync(join(dir, "edgerecord.config.ts"), `import { Note } from "./models.ts";\nexport default { backend: () => { throw new Error("generate needs no database"); }, models: [Note] };\n`);
      const gen = (name: string) => spawnSync(join(root, "node_modules/.bin/tsx"), ["--conditions=source", join(root, "src/migrate/node/bin.ts"), "migrate", "generate", name, "--d1", "d1-migrations"], { cwd: dir, encoding: "utf8" });
      expect(gen("notes").status).toBe(0);
      models("@column.boolean({ default: false }) pinned!: boolean;");
      expect(gen("pin_notes").status).toBe(0);
      expect(readdirSync(join(dir, "d1-migrations")).sort()).toEqual(["0001_notes.sql", "0002_pin_notes.sql"]);
      const db = (await mf.getD1Database("B")) as unknown as D1Database;
      for (const f of ["0001_notes.sql", "0002_pin_notes.sql"]) await apply(db, readFileSync(join(dir, "d1-migrations", f), "utf8"));
      const backend = new D1Backend({ binding: db });
      const columns = await backend.execute({ sql: "SELECT name FROM pragma_table_info('notes')", params: [] });
      expect(columns.rows.map((r) => r.name)).toEqual(["id", "body", "pinned"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
