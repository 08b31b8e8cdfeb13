import { PostgresBackend } from "../../src/backend/postgres/index.ts";
import { createTestSchema, type TestSchema } from "../support/postgres.ts";
import { migrationSuite } from "./suite.ts";

let schema: TestSchema | undefined;
migrationSuite("PostgreSQL", {
  async open() {
    schema = await createTestSchema();
    const backend = new PostgresBackend(schema.config);
    const own = schema;
    return {
      backend,
      async close() {
        await backend.disconnect();
        await own.drop();
      },
    };
  },
  // Another pool on the same schema: a second deploy's migrator (PGlite has one session: none there).
  second: () => (schema && !schema.pglite ? new PostgresBackend(schema.config) : undefined),
});
