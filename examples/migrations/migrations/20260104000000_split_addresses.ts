import type { SchemaBuilder } from "edgerecord/migrate";

// 3. Split a table: addresses move out of users into a table of their own, rows copied over.
export function up(schema: SchemaBuilder): void {
  schema.createTable("addresses", (t) => {
    t.integer("id", { primaryKey: true, autoIncrement: true });
    t.integer("user_id", { references: { table: "users", onDelete: "cascade" }, unique: true });
    t.text("street", { nullable: true });
    t.text("city", { nullable: true });
  });
  schema.raw("INSERT INTO addresses (user_id, street, city) SELECT id, street, city FROM users WHERE street IS NOT NULL OR city IS NOT NULL");
  schema.dropColumn("users", "street");
  schema.dropColumn("users", "city");
}

export function down(schema: SchemaBuilder): void {
  schema.addColumn("users", "street", "text", { nullable: true });
  schema.addColumn("users", "city", "text", { nullable: true });
  schema.raw("UPDATE users SET street = (SELECT street FROM addresses a WHERE a.user_id = users.id), city = (SELECT city FROM addresses a WHERE a.user_id = users.id)");
  schema.dropTable("addresses");
}
