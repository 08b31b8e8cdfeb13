/** `generateMigration` and its pure parts: the snapshot of the models, the diff, the code writer. */
import { describe, expect, it } from "vitest";
import { ActiveRecord, column, manyToMany, table } from "../../src/index.ts";
import {
  diffSchemas,
  EMPTY_SNAPSHOT,
  generateMigration,
  migrationSource,
  parseRenames,
  parseSnapshot,
  RenameHintError,
  SchemaBuilder,
  serializeSnapshot,
  snapshotFromModels,
  type Operation,
  type SchemaSnapshot,
} from "../../src/migrate/index.ts";
import { BLOG } from "../support/blog.ts";

@table("users")
class UserV1 extends ActiveRecord {
  @column.id() id!: number;
  @column.text({ unique: true }) email!: string;
  @column.text({ nullable: true }) name!: string | null;
  @column.integer({ default: 0 }) visits!: number;
}

@table("users")
class UserV2 extends ActiveRecord {
  @column.id() id!: number;
  @column.text({ unique: true }) email!: string;
  @column.text() fullName!: string; // was `name`, now NOT NULL
  @column.bigint({ default: 10n }) visits!: bigint; // type and default changed
  @column.text({ nullable: true, index: true }) plan!: string | null; // new
}

@table("roles")
class Role extends ActiveRecord {
  @column.id() id!: number;
  @column.varchar(40) name!: string;
  @manyToMany(() => Member) members!: Member[];
}

@table("members")
class Member extends ActiveRecord {
  @column.id() id!: number;
  @manyToMany(() => Role, { through: "role_members" }) roles!: Role[];
}

/** What the generated source records when run: the operations it was written from. */
async function recorded(source: string, direction: "up" | "down"): Promise<Operation[]> {
  const body = source.replace(/^import .*$/m, "").replace(/export function/g, "function").replace(/: SchemaBuilder\): void/g, ")");
  const fns = new Function(`${body}; return { up, down };`)() as Record<string, (s: SchemaBuilder) => void>;
  const schema = new SchemaBuilder();
  fns[direction]!(schema);
  return schema.operations;
}

const roundTrip = (ops: readonly Operation[]) => JSON.parse(JSON.stringify(ops, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v))) as unknown;

describe("snapshotFromModels", () => {
  it("has each model's table, its foreign keys as constraints, and the manyToMany join table once", () => {
    const s = snapshotFromModels(BLOG);
    expect(s.tables.map((t) => t.name)).toEqual(["authors", "comments", "post_tags", "posts", "profiles", "tags"]);
    const posts = s.tables.find((t) => t.name === "posts")!;
    expect(posts.foreignKeys).toEqual([{ name: "fk_posts_author_id", columns: ["author_id"], references: { table: "authors", columns: ["id"] }, onDelete: "cascade" }]);
    expect(posts.columns.some((c) => "references" in c)).toBe(false);
    const join = s.tables.find((t) => t.name === "post_tags")!;
    expect(join.columns.map((c) => [c.name, c.type, c.primaryKey, c.nullable])).toEqual([
      ["post_id", "integer", true, false],
      ["tag_id", "integer", true, false],
    ]);
    expect(join.foreignKeys.map((f) => `${f.columns[0]}->${f.references.table}.${f.references.columns[0]} ${f.onDelete}`)).toEqual(["post_id->posts.id cascade", "tag_id->tags.id cascade"]);
  });

  it("names a join table by default from both sides (member side declares it, role side derives it)", () => {
    const names = snapshotFromModels([Role, Member]).tables.map((t) => t.name);
    expect(names).toEqual(["members", "role_members", "roles"]);
  });

  it("serializes to JSON and back, bigint defaults included", () => {
    const s = snapshotFromModels([UserV2]);
    expect(parseSnapshot(serializeSnapshot(s))).toEqual(s);
    expect(() => parseSnapshot("{}")).toThrow(/not an EdgeRecord snapshot/);
  });
});

describe("diffSchemas", () => {
  const v1 = snapshotFromModels([UserV1]);
  const v2 = snapshotFromModels([UserV2]);

  it("from nothing: creates tables, parents before children; down drops children first", () => {
    const { up, down, warnings } = diffSchemas(EMPTY_SNAPSHOT, snapshotFromModels(BLOG));
    const created = up.map((o) => (o.op === "createTable" ? o.table.name : o.op));
    expect(created.indexOf("authors")).toBeLessThan(created.indexOf("posts"));
    expect(created.indexOf("posts")).toBeLessThan(created.indexOf("post_tags"));
    expect(created.indexOf("tags")).toBeLessThan(created.indexOf("post_tags"));
    const dropped = down.map((o) => (o.op === "dropTable" ? o.table : o.op));
    expect(dropped.indexOf("post_tags")).toBeLessThan(dropped.indexOf("posts"));
    expect(dropped.indexOf("posts")).toBeLessThan(dropped.indexOf("authors"));
    expect(warnings).toEqual([]);
  });

  it("without a rename hint, a renamed column is a drop plus an add, with a loud data-loss warning", () => {
    const { up, warnings } = diffSchemas(v1, v2);
    expect(up.map((o) => o.op)).toEqual(["addColumn", "addColumn", "alterColumn", "dropColumn", "createIndex"]);
    expect(warnings.join("\n")).toMatch(/DATA LOSS: column\(s\) users\.name will be DROPPED.*--rename users\.name:full_name/);
    expect(warnings.join("\n")).toMatch(/users\.full_name is added NOT NULL without a default/);
  });

  it("with --rename table.column:new, renames and then alters; down renames back", () => {
    const { up, down, warnings } = diffSchemas(v1, v2, parseRenames(["users.name:full_name"]));
    expect(up).toEqual([
      { op: "renameColumn", table: "users", from: "name", to: "full_name" },
      { op: "addColumn", table: "users", column: expect.objectContaining({ name: "plan", type: "text", nullable: true }) },
      { op: "alterColumn", table: "users", column: "full_name", change: { nullable: false } },
      { op: "alterColumn", table: "users", column: "visits", change: { type: "bigint", default: 10n } },
      { op: "createIndex", index: { name: "users_plan_idx", table: "users", columns: ["plan"], unique: false } },
    ]);
    expect(warnings.join("\n")).not.toMatch(/DATA LOSS/);
    expect(down).toEqual([
      { op: "renameColumn", table: "users", from: "full_name", to: "name" },
      { op: "dropIndex", table: "users", name: "users_plan_idx" },
      { op: "alterColumn", table: "users", column: "name", change: { nullable: true } },
      { op: "alterColumn", table: "users", column: "visits", change: { type: "integer", default: 0 } },
      { op: "dropColumn", table: "users", column: "plan" },
    ]);
  });

  it("with --rename old_table:new_table, renames the table and re-points foreign keys that referenced it", () => {
    const people: SchemaSnapshot = { version: 1, tables: v1.tables.map((t) => ({ ...t, name: "people" })) };
    const { up, down, warnings } = diffSchemas(people, v1, parseRenames(["people:users"]));
    expect(up).toEqual([{ op: "renameTable", from: "people", to: "users" }]);
    expect(down).toEqual([{ op: "renameTable", from: "users", to: "people" }]);
    expect(warnings).toEqual([]);
    const unhinted = diffSchemas(people, v1);
    expect(unhinted.up.map((o) => o.op)).toEqual(["createTable", "dropTable"]);
    expect(unhinted.warnings.join("\n")).toMatch(/DATA LOSS: table\(s\) people will be DROPPED.*--rename people:users/);
  });

  it("adds and drops foreign keys and indexes of kept tables; refuses a hint that names nothing", () => {
    const before = snapshotFromModels(BLOG);
    const after: SchemaSnapshot = {
      version: 1,
      tables: before.tables.map((t) => (t.name === "posts" ? { ...t, foreignKeys: [{ ...t.foreignKeys[0]!, onDelete: "restrict" as const }] } : t)),
    };
    expect(diffSchemas(before, after).up.map((o) => o.op)).toEqual(["dropForeignKey", "addForeignKey"]);
    expect(diffSchemas(before, before).up).toEqual([]);
    expect(() => diffSchemas(before, after, parseRenames(["posts.nope:title"]))).toThrow(/no column posts\.nope/);
    expect(() => parseRenames(["users.name"])).toThrow(RenameHintError);
    expect(() => parseRenames(["users.name"])).toThrow(/table\.column:new_column/);
    // Both columns exist on both sides: nothing is renamed, so the hint is refused rather than obeyed.
    expect(() => diffSchemas(before, after, parseRenames(["posts.title:status"]))).toThrow(RenameHintError);
    expect(() => diffSchemas(before, after, parseRenames(["posts.title:status"]))).toThrow(/the models still have the column posts\.title/);
  });
});

describe("generateMigration and the code writer", () => {
  it("writes TypeScript whose up and down record exactly the diff's operations", async () => {
    const first = generateMigration(BLOG, EMPTY_SNAPSHOT);
    expect(first.empty).toBe(false);
    expect(roundTrip(await recorded(first.source, "up"))).toEqual(roundTrip(first.up));
    expect(roundTrip(await recorded(first.source, "down"))).toEqual(roundTrip(first.down));
    expect(generateMigration(BLOG, first.snapshot).empty).toBe(true);

    const change = generateMigration([UserV2], snapshotFromModels([UserV1]), { renames: ["users.name:full_name"] });
    expect(change.source).toContain('schema.renameColumn("users", "name", "full_name");');
    expect(change.source).toContain('schema.alterColumn("users", "visits", { type: "bigint", default: 10n });');
    expect(roundTrip(await recorded(change.source, "up"))).toEqual(roundTrip(change.up));
    expect(roundTrip(await recorded(change.source, "down"))).toEqual(roundTrip(change.down));
  });

  it("puts its warnings in the file too", () => {
    const text = migrationSource([], [], ["DATA LOSS: x"]);
    expect(text).toContain("// WARNING: DATA LOSS: x");
  });
});
