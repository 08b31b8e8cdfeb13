/**
 * PerRequestBackend (`PostgresBackend.perRequest`) on a real PostgreSQL, in
 * Node: each request's statements and transactions run on a backend of that
 * request's own, however requests overlap, and it is closed after the
 * response. In workerd, where this is required, the Hyperdrive example runs
 * it (tests/runtimes/hyperdrive.test.ts).
 */
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ActiveRecord, column, ConfigurationError, PerRequestBackend, table } from "../../src/index.ts";
import { PostgresBackend } from "../../src/backend/postgres/index.ts";
import { LibsqlBackend } from "../../src/backend/libsql/index.ts";
import { decoratorMode } from "../support/mode.ts";
import { createTestSchema, DATABASE_URL, needsRealServer, onPgliteFallback, type TestSchema } from "../support/postgres.ts";

@table("visits")
class Visit extends ActiveRecord {
  @column.id() id!: number;
  @column.text() request!: string;
}

interface Env {
  name: string;
}

const pglite = await onPgliteFallback();

describe.skipIf(pglite)(`PerRequestBackend on PostgreSQL ${needsRealServer} (${decoratorMode})`, () => {
  let schema: TestSchema;
  const tag = `er_req_${Math.random().toString(36).slice(2, 8)}`;
  const db = PostgresBackend.perRequest((env: Env) => ({ ...schema.config, max: 2, connection: { ...schema.config.connection, application_name: `${tag}_${env.name}` } }));

  beforeAll(async () => {
    schema = await createTestSchema();
    Visit.configure(db);
    await db.serve({ name: "setup" }, undefined, () => Visit.createTable());
  });
  afterAll(async () => {
    Visit.unconfigure();
    await schema?.drop();
  });

  it("runs each request's statements and transactions on its own backend, however requests overlap", async () => {
    const pending: Promise<unknown>[] = [];
    const ctx = { waitUntil: (p: Promise<unknown>) => void pending.push(p) };
    const names = Array.from({ length: 12 }, (_, i) => `r${i}`);
    const seen = await Promise.all(
      names.map((name, i) =>
        db.serve({ name }, ctx, async () => {
          const own = async () => String((await Visit.execute("SELECT current_setting('application_name') AS app")).rows[0]!.app);
          const before = await own();
          await new Promise((resolve) => setTimeout(resolve, (i * 7) % 20));
          // Odd requests roll their transaction back; it must not take anyone else's write with it.
          await Visit.transaction(async () => {
            await Visit.create({ request: name });
            if (i % 2 === 1) throw new Error("rolled back");
          }).catch((error: unknown) => {
            if ((error as Error).message !== "rolled back") throw error;
          });
          return [before, await own()];
        }),
      ),
    );
    expect(seen).toEqual(names.map((name) => [`${tag}_${name}`, `${tag}_${name}`]));
    const stored = await db.serve({ name: "check" }, undefined, () => Visit.orderBy("id").pluck("request"));
    expect([...stored].sort()).toEqual(names.filter((_, i) => i % 2 === 0).sort());

    // Each request's backend was handed to waitUntil, and closing it leaves no connection behind.
    expect(pending).toHaveLength(names.length);
    await Promise.all(pending);
    const direct = postgres(DATABASE_URL, { max: 1, onnotice: () => undefined });
    try {
      const [row] = await direct`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name LIKE ${`${tag}%`}`;
      expect(row!.n).toBe(0);
    } finally {
      await direct.end({ timeout: 1 });
    }
  });

  it("outside serve(), a query is a ConfigurationError naming serve", async () => {
    await expect(Visit.count()).rejects.toBeInstanceOf(ConfigurationError);
    await expect(Visit.count()).rejects.toThrow(/serve\(env, ctx, work\)/);
  });
});

describe(`PerRequestBackend checks (${decoratorMode})`, () => {
  it("refuses a request backend of another dialect than the one statements compile for", async () => {
    const db = new PerRequestBackend(() => new LibsqlBackend({ url: ":memory:" }), new PostgresBackend({ url: "postgres://nobody@127.0.0.1:1/none" }).dialect);
    await expect(db.serve({}, undefined, async () => 1)).rejects.toBeInstanceOf(ConfigurationError);
  });
});
