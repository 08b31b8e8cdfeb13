/**
 * A PostgreSQL database of its own for one test file. Test files run in
 * parallel and twice (both decorator modes), so on the shared server each gets
 * a schema `er_<random>`, reached through `search_path` and dropped at the end.
 *
 * Where no server answers (a bare laptop), and only outside CI, each call
 * starts an in-process PGlite behind a local socket instead. PGlite is one
 * session: it ignores startup parameters (search_path, TimeZone...) and cannot
 * give two real connections, so tests that need either skip there and say so
 * (see `needsRealServer`). CI must run them for real: there a missing server
 * is an error.
 */
import postgres from "postgres";
import type { PostgresConfig } from "../../src/backend/postgres/index.ts";
import { freePort } from "./tcp-proxy.ts";

export const DATABASE_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export interface TestSchema {
  readonly url: string;
  readonly schema: string;
  /** A backend config that lands in this database. */
  readonly config: PostgresConfig & { readonly url: string };
  /** True on the PGlite fallback: one session, startup parameters ignored. */
  readonly pglite: boolean;
  drop(): Promise<void>;
}

let probe: Promise<boolean> | undefined;

/** Whether the PostgreSQL server answers; asked once per test file. */
export function serverAnswers(): Promise<boolean> {
  probe ??= (async () => {
    const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => undefined, connect_timeout: 5 });
    try {
      await sql`SELECT 1`;
      return true;
    } catch {
      return false;
    } finally {
      await sql.end({ timeout: 1 }).catch(() => undefined);
    }
  })();
  return probe;
}

/** For `it.skipIf(...)`: true where the tests run on the PGlite fallback. */
export async function onPgliteFallback(): Promise<boolean> {
  return !(await serverAnswers()) && !process.env.CI;
}

/** Appended to the name of a test that skips on the fallback, so the reason shows in the report. */
export const needsRealServer = "(needs a real server: skipped on the PGlite fallback, which has one session)";

export async function createTestSchema(): Promise<TestSchema> {
  if (await serverAnswers()) return createServerSchema();
  if (process.env.CI) {
    throw new Error(
      `PostgreSQL tests need a server at ${safeUrl(DATABASE_URL)} and CI must run them for real (set DATABASE_URL to use another). ` +
        `Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`,
    );
  }
  return createPgliteDatabase();
}

async function createServerSchema(): Promise<TestSchema> {
  const schema = `er_${Math.random().toString(36).slice(2, 10)}`;
  const admin = postgres(DATABASE_URL, { max: 1, onnotice: () => undefined, connect_timeout: 5 });
  try {
    await admin.unsafe(`CREATE SCHEMA "${schema}"`);
  } catch (error) {
    await admin.end({ timeout: 1 }).catch(() => undefined);
    throw new Error(`cannot create a test schema on ${safeUrl(DATABASE_URL)}: ${(error as Error).message}`, { cause: error });
  }
  return {
    url: DATABASE_URL,
    schema,
    config: { url: DATABASE_URL, max: 4, connection: { search_path: schema } },
    pglite: false,
    async drop() {
      try {
        await admin.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await admin.end({ timeout: 5 });
      }
    },
  };
}

let warned = false;

async function createPgliteDatabase(): Promise<TestSchema> {
  if (!warned) {
    warned = true;
    console.warn(`No PostgreSQL server at ${safeUrl(DATABASE_URL)}: running on an in-process PGlite. Tests marked ${needsRealServer} are skipped.`);
  }
  const [{ PGlite }, { PGLiteSocketServer }] = await Promise.all([import("@electric-sql/pglite"), import("@electric-sql/pglite-socket")]);
  const db = await PGlite.create();
  const port = await freePort();
  // Several clients may connect (a test may open a second backend), but they share PGlite's one
  // session: each backend keeps one connection so its transactions stay its own.
  const server = new PGLiteSocketServer({ db, port, host: "127.0.0.1", maxConnections: 8 });
  await server.start();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    // Its own instance: nothing else shares it, so the default schema is ours.
    schema: "public",
    config: { url, max: 1 },
    pglite: true,
    async drop() {
      await server.stop();
      await db.close();
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
