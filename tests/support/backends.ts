/** The real databases the model-level suites run against: libSQL on a file, and PostgreSQL. */
import type { Backend } from "../../src/index.ts";
import { PostgresBackend } from "../../src/backend/postgres/index.ts";
import { openLibsql } from "./libsql.ts";
import { createTestSchema } from "./postgres.ts";

export interface BackendFixture {
  readonly name: string;
  open(): Promise<{ backend: Backend; close(): Promise<void> }>;
}

/** PostgreSQL in a fresh schema of its own, dropped on close. */
export const POSTGRES: BackendFixture = {
  name: "postgres",
  async open() {
    // A fresh schema per test keeps tables and identity counters independent.
    const schema = await createTestSchema();
    const backend = new PostgresBackend(schema.config);
    return {
      backend,
      async close() {
        await backend.disconnect();
        await schema.drop();
      },
    };
  },
};

export const BACKENDS: BackendFixture[] = [
  {
    name: "libsql",
    async open() {
      const db = openLibsql("file");
      return { backend: db.backend, close: () => db.close() };
    },
  },
  POSTGRES,
];
