/**
 * `edgerecord migrate generate` and drift in `status`, spawned as a user runs
 * them (tsx on the TypeScript sources), with models compiled in this
 * project's decorator mode (a tsconfig.json in the app folder says which).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const bin = join(root, "src/migrate/node/bin.ts");
const tsx = join(root, "node_modules/.bin/tsx");
const legacy = process.env.EDGERECORD_DECORATORS === "legacy";
let dir = "";

function cli(...args: string[]) {
  const r = spawnSync(tsx, ["--conditions=source", bin, "migrate", ...args], { cwd: dir, encoding: "utf8", env: { ...process.env, DATABASE_URL: `file:${join(dir, "app.db")}` } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const src = JSON.stringify(join(root, "src/index.ts"));

/** The app's models; `nameColumn` is what the user calls the users' name property. */
function writeModels(nameProperty: string, extra = ""): void {
  writeFileSync(
    join(dir, "models.ts"),
    `import { ActiveRecord, column, table, manyToMany } from ${src};
@table("users")
export class User extends ActiveRecord {
  @column.id() id!: number;
  @column.text({ unique: true }) email!: string;
  @column.text({ nullable: true }) ${nameProperty}!: string | null;
  ${extra}
}
@table("posts")
export class Post extends ActiveRecord {
  @column.id() id!: number;
  @column.integer({ references: { table: "users", onDelete: "cascade" }, index: true }) userId!: number;
  @column.varchar(120, { default: "untitled" }) title!: string;
  @manyToMany(() => Tag, { through: "post_tags" }) tags!: Tag[];
}
@table("tags")
export class Tag extends ActiveRecord {
  @column.id() id!: number;
  @column.text() label!: string;
}
`,
  );
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "edgerecord-gen-"));
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { target: "es2022", experimentalDecorators: legacy, useDefineForClassFields: true } }));
  writeFileSync(
    join(dir, "edgerecord.config.ts"),
    `import { LibsqlBackend } from ${JSON.stringify(join(root, "src/backend/libsql/index.ts"))};
import { User, Post, Tag } from "./models.ts";
export default { backend: () => new LibsqlBackend({ url: process.env.DATABASE_URL! }), migrations: "migrations", models: [User, Post, Tag] };
`,
  );
  writeModels("name");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const migrationFiles = () => readdirSync(join(dir, "migrations")).filter((f) => f.endsWith(".ts")).sort();

describe("edgerecord migrate generate (CLI)", () => {
  it("generates the schema from the models, then nothing; a rename needs --rename, else it warns of data loss", () => {
    const first = cli("generate", "init");
    expect(first.code).toBe(0);
    expect(first.err).toBe("");
    expect(migrationFiles()).toHaveLength(1);
    const text = readFileSync(join(dir, "migrations", migrationFiles()[0]!), "utf8");
    expect(text).toContain('schema.createTable("post_tags"');
    expect(existsSync(join(dir, "migrations/edgerecord.schema.json"))).toBe(true);
    expect(cli("generate", "again").out).toMatch(/nothing to generate/);
    expect(migrationFiles()).toHaveLength(1);

    expect(cli("up").code).toBe(0);
    const clean = cli("status");
    expect(clean.code).toBe(0);
    expect(clean.out).toMatch(/no drift: the database matches the models/);

    writeModels("fullName", "@column.integer({ default: 0 }) visits!: number;");
    // The models moved ahead of the database: status reports the drift and exits 1.
    const drifted = cli("status");
    expect(drifted.code).toBe(1);
    expect(drifted.out).toContain("drift    column users.full_name is in the models but not in the database");
    expect(drifted.out).toContain("drift    column users.name is in the database but in no model");
    // Unhinted: drop + add, loudly; --dry-run writes nothing.
    const unhinted = cli("generate", "rename_name", "--dry-run");
    expect(unhinted.code).toBe(0);
    expect(unhinted.err).toMatch(/WARNING: DATA LOSS: column\(s\) users\.name will be DROPPED.*--rename users\.name:full_name/);
    expect(unhinted.out).toContain('schema.dropColumn("users", "name");');
    expect(migrationFiles()).toHaveLength(1);

    // A hint that is malformed or renames nothing is a usage error (exit 2), and writes nothing.
    const bad = cli("generate", "rename_name", "--rename", "users.nickname:full_name");
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/no column users\.nickname/);
    expect(migrationFiles()).toHaveLength(1);

    const hinted = cli("generate", "rename_name", "--rename", "users.name:full_name");
    expect(hinted.code).toBe(0);
    expect(hinted.err).toBe("");
    expect(migrationFiles()).toHaveLength(2);
    expect(readFileSync(join(dir, "migrations", migrationFiles()[1]!), "utf8")).toContain('schema.renameColumn("users", "name", "full_name");');

    expect(cli("up").code).toBe(0);
    expect(cli("down").code).toBe(0);
    expect(cli("status").code).toBe(1);
    expect(cli("up").code).toBe(0);
    expect(cli("status").code).toBe(0);
  });

  it("a --rename hint that is malformed or renames nothing is a usage error (exit 2) and writes nothing", () => {
    expect(cli("generate", "init").code).toBe(0);
    writeModels("fullName");
    const malformed = cli("generate", "rename_name", "--rename", "users.name");
    expect(malformed.code).toBe(2);
    expect(malformed.err).toMatch(/rename hint "users\.name": write table\.column:new_column/);
    const notRenamed = cli("generate", "rename_name", "--rename", "users.email:full_name");
    expect(notRenamed.code).toBe(2);
    expect(notRenamed.err).toMatch(/the models still have the column users\.email, so it is not renamed/);
    const noTable = cli("generate", "rename_name", "--rename", "people:users");
    expect(noTable.code).toBe(2);
    expect(noTable.err).toMatch(/there is no table people in the stored snapshot[\s\S]*usage: --rename/);
    expect(migrationFiles()).toHaveLength(1);
  });

  it("refuses without models (exit 2), and without a name (exit 2)", () => {
    writeFileSync(join(dir, "edgerecord.config.ts"), `export default { backend: () => { throw new Error("unused"); } };\n`);
    expect(cli("generate", "x").code).toBe(2);
    expect(cli("generate").code).toBe(2);
  });
});
