/**
 * A PostgreSQL schema of its own for one test file. Test files run in
 * parallel and twice (both decorator modes), so each gets `er_<random>` on the
 * shared server, reaches it through `search_path`, and drops it at the end.
 */
import postgres from "postgres";
import type { PostgresConfig } from "../../src/backend/postgres/index.ts";

export const DATABASE_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export interface TestSchema {
  readonly url: string;
  readonly schema: string;
  /** A backend config that lands in the schema. */
  readonly config: PostgresConfig;
  drop(): Promise<void>;
}

export async function createTestSchema(): Promise<TestSchema> {
  const schema = `er_${Math.random().toString(36).slice(2, 10)}`;
  const admin = postgres(DATABASE_URL, { max: 1, onnotice: () => undefined, connect_timeout: 5 });
  try {
    await admin.unsafe(`CREATE SCHEMA "${schema}"`);
  } catch (error) {
    await admin.end({ timeout: 1 }).catch(() => undefined);
    const where = safeUrl(DATABASE_URL);
    throw new Error(
      `PostgreSQL tests need a server at ${where} (set DATABASE_URL to use another). ` +
        `On the project's machines start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start. ` +
        `Cause: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return {
    url: DATABASE_URL,
    schema,
    config: { url: DATABASE_URL, max: 4, connection: { search_path: schema } },
    async drop() {
      try {
        await admin.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await admin.end({ timeout: 5 });
      }
    },
  };
}

function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
  } catch {
    return "(unparseable DATABASE_URL)";
  }
}
