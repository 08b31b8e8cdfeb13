import type { SchemaBuilder } from "edgerecord/migrate";

// 2. Rename a column: reversible, so `change` is enough.
export function change(schema: SchemaBuilder): void {
  schema.renameColumn("users", "name", "full_name");
}
