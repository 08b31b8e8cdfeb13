import type { SchemaBuilder } from "edgerecord/migrate";

// 1. Add a column with a backfill: nullable first, fill it, then require it.
export function up(schema: SchemaBuilder): void {
  schema.addColumn("users", "plan", "text", { nullable: true });
  schema.sql`UPDATE users SET plan = ${"free"} WHERE plan IS NULL`;
  schema.alterColumn("users", "plan", { nullable: false, default: "free" });
}

export function down(schema: SchemaBuilder): void {
  schema.dropColumn("users", "plan");
}
