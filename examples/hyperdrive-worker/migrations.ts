/**
 * The example's schema, as `migrate(backend, { migrations })` takes it. Run it
 * from a machine that reaches the database directly (not through Hyperdrive):
 * `DATABASE_URL=postgres://... npx edgerecord migrate`, or `migrate()` in a
 * script; the Worker itself never creates tables.
 */
import type { Migration } from "edgerecord/migrate";

export const migrations: Record<string, Migration> = {
  "20260101000000_create_notes": {
    change(schema) {
      schema.createTable("notes", (t) => {
        t.integer("id", { primaryKey: true, autoIncrement: true });
        t.text("body");
        t.datetime("created_at");
      });
    },
  },
};
