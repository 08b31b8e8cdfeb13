import { afterAll, beforeAll, describe, it } from "vitest";
import { PostgresBackend, type PostgresConfig } from "../../src/backend/postgres/index.ts";
import { runBackendConformance } from "../../src/testing/index.ts";
import { decoratorMode } from "../support/mode.ts";
import { createTestSchema, type TestSchema } from "../support/postgres.ts";

function onPostgres(name: string, extra: Partial<PostgresConfig> = {}): void {
  let schema: TestSchema | undefined;
  runBackendConformance({
    describe,
    it,
    beforeAll,
    afterAll,
    name: `${name} (${decoratorMode})`,
    makeBackend: async () => {
      schema = await createTestSchema();
      return new PostgresBackend({ ...schema.config, ...extra });
    },
    cleanup: () => schema?.drop(),
  });
}

onPostgres("PostgreSQL");
// What a PgBouncer deployment runs: every statement unnamed, nothing prepared.
onPostgres("PostgreSQL, prepare: false", { prepare: false });
