/**
 * A database for a Worker behind Miniflare's Hyperdrive stand-in: a test
 * schema (tests/support/postgres.ts) and a login role of the same name whose
 * default `search_path` is that schema. Hyperdrive's connection string
 * carries only user, password, host and database, so the role is how a
 * Worker lands in its schema, as docs/scaling.md advises for poolers
 * (`ALTER ROLE app SET search_path = ...`). The password is required by
 * Miniflare's option and ignored by the server's trust authentication.
 *
 * On the PGlite fallback (one session, startup settings ignored) the schema is
 * `public` and no role is made.
 */
import postgres from "postgres";
import { createTestSchema, DATABASE_URL, type TestSchema } from "../../support/postgres.ts";

export interface HyperdriveDatabase {
  /** What Miniflare's `hyperdrives` option takes: `postgres://<role>:<password>@host:port/database`. */
  readonly url: string;
  readonly schema: TestSchema;
  /** Drops the schema (and everything in it), then the role. */
  drop(): Promise<void>;
}

export async function createHyperdriveDatabase(): Promise<HyperdriveDatabase> {
  const schema = await createTestSchema();
  const url = new URL(schema.url);
  url.password = "unused";
  if (schema.pglite) return { url: url.href, schema, drop: () => schema.drop() };
  const role = schema.schema; // er_<random>: already unique, and a valid identifier
  const admin = postgres(DATABASE_URL, { max: 1, onnotice: () => undefined });
  try {
    await admin.unsafe(`CREATE ROLE "${role}" LOGIN PASSWORD 'unused'`);
    await admin.unsafe(`GRANT USAGE, CREATE ON SCHEMA "${role}" TO "${role}"`);
    await admin.unsafe(`ALTER ROLE "${role}" SET search_path = "${role}"`);
  } catch (error) {
    await admin.end({ timeout: 1 });
    await schema.drop();
    throw error;
  }
  url.username = role;
  return {
    url: url.href,
    schema,
    async drop() {
      try {
        await schema.drop();
        await admin.unsafe(`DROP ROLE IF EXISTS "${role}"`);
      } finally {
        await admin.end({ timeout: 5 });
      }
    },
  };
}
