import type { SchemaBuilder } from "edgerecord/migrate";

// The starting point: users with a full name in one column, and their posts.
export function change(schema: SchemaBuilder): void {
  schema.createTable("users", (t) => {
    t.integer("id", { primaryKey: true, autoIncrement: true });
    t.text("email", { unique: true });
    t.text("name", { nullable: true });
    t.text("street", { nullable: true });
    t.text("city", { nullable: true });
  });
  schema.createTable("posts", (t) => {
    t.integer("id", { primaryKey: true, autoIncrement: true });
    t.integer("user_id", { references: { table: "users", onDelete: "cascade" }, index: true });
    t.text("title");
  });
}
