/** Migrations shared by the migrate tests, as an application would pass them (no files). */
import type { Backend } from "../../src/backend/backend.ts";
import type { Migration } from "../../src/migrate/index.ts";

export const createUsersAndPosts: Migration = {
  change(schema) {
    schema.createTable("users", (t) => {
      t.integer("id", { primaryKey: true, autoIncrement: true });
      t.text("email", { unique: true });
      t.text("name", { nullable: true });
    });
    schema.createTable("posts", (t) => {
      t.integer("id", { primaryKey: true, autoIncrement: true });
      t.integer("user_id", { references: { table: "users", onDelete: "cascade" }, index: true });
      t.text("title");
    });
  },
};

export const addAge: Migration = {
  change(schema) {
    schema.addColumn("users", "age", "integer", { nullable: true });
    schema.createIndex("posts", ["user_id", "title"], { unique: true });
  },
};

export const requireName: Migration = {
  up(schema) {
    schema.sql`UPDATE users SET name = ${"anonymous"} WHERE name IS NULL`;
    schema.alterColumn("users", "name", { nullable: false, default: "anonymous" });
    schema.addCheck("users", "ck_users_email", "email <> ''");
  },
  down(schema) {
    schema.dropCheck("users", "ck_users_email");
    schema.alterColumn("users", "name", { nullable: true, default: null });
  },
};

export const all: Record<string, Migration> = { "001_users_posts": createUsersAndPosts, "002_age": addAge, "003_require_name": requireName };

/** The schema as the database describes it: tables, their columns and indexes, sorted (the ledger and lock tables left out). */
export async function introspect(backend: Backend): Promise<string> {
  const sqlite = !backend.dialect.capabilities.alterColumn;
  const rows = sqlite
    ? (
        await backend.execute({
          sql: "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'edgerecord_%' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' ORDER BY type, name",
          params: [],
        })
      ).rows
    : (
        await backend.execute({
          sql: `SELECT c.table_name, c.column_name, c.data_type, c.is_nullable, c.column_default,
                  (SELECT string_agg(indexdef, '; ' ORDER BY indexname) FROM pg_indexes i WHERE i.schemaname = current_schema() AND i.tablename = c.table_name) AS indexes,
                  (SELECT string_agg(conname || ':' || pg_get_constraintdef(oid), '; ' ORDER BY conname) FROM pg_constraint k WHERE k.conrelid = (quote_ident(current_schema()) || '.' || quote_ident(c.table_name))::regclass) AS constraints
                FROM information_schema.columns c WHERE c.table_schema = current_schema() AND c.table_name NOT LIKE 'edgerecord_%'
                ORDER BY c.table_name, c.column_name`,
          params: [],
        })
      ).rows;
  return JSON.stringify(rows, null, 1);
}
