/**
 * Through a real PgBouncer in transaction mode (Debian's package, started by
 * tests/support/pgbouncer.ts in front of a PostgreSQL 15 server of this
 * file's own). Each transaction may get a different server connection, and
 * between transactions a client's session state is gone: ambient
 * transactions, savepoints, afterCommit, retry and the migration lock must
 * hold anyway with `prepare: false`; with named prepared statements the
 * failure must say what to change.
 */
import postgres from "postgres";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ActiveRecord, afterCommit, column, ConfigurationError, oneOf, SerializationError, table } from "../../src/index.ts";
import { PostgresBackend } from "../../src/backend/postgres/index.ts";
import { LEDGER_TABLE, migrate, type Migration } from "../../src/migrate/index.ts";
import { decoratorMode } from "../support/mode.ts";
import { startServer } from "../support/pg-cluster.ts";
import { startPgBouncer, type Bouncer } from "../support/pgbouncer.ts";
import { gate } from "../transactions/support.ts";

@table("accounts")
class Account extends ActiveRecord {
  @column.id() id!: number;
  @column.text() owner!: string;
  @column.integer({ default: 0 }) balance!: number;
}

describe(`PostgreSQL behind PgBouncer in transaction mode (${decoratorMode})`, () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let bouncer: Bouncer;
  let backend: PostgresBackend;

  beforeAll(async () => {
    server = await startServer();
    bouncer = await startPgBouncer({ serverPort: server.port, poolSize: 2 });
    // The setup docs/scaling.md gives for a transaction-mode pooler (and Hyperdrive).
    backend = new PostgresBackend({ url: bouncer.url("postgres"), prepare: false, max: 5, fetchTypes: false });
    ActiveRecord.configure(backend);
    await Account.createTable();
  }, 120_000);

  afterAll(async () => {
    await backend?.disconnect();
    await bouncer?.stop();
    await server?.remove();
  });

  beforeEach(async () => {
    await ActiveRecord.execute("TRUNCATE accounts RESTART IDENTITY");
  });

  it("runs ambient transactions and savepoints on one server connection each", async () => {
    await ActiveRecord.transaction(async () => {
      await Account.create({ owner: "a" });
      await ActiveRecord.transaction(async () => {
        await Account.create({ owner: "b" });
        throw new Error("inner");
      }).catch(() => undefined);
      await ActiveRecord.transaction(async () => {
        await Account.create({ owner: "c" });
      });
    });
    await ActiveRecord.transaction(async () => {
      await Account.create({ owner: "rolled back" });
      throw new Error("outer");
    }).catch(() => undefined);
    expect(await Account.orderBy("id").pluck("owner")).toEqual(["a", "c"]);
    // A list parameter (= ANY($1)) without fetched array types.
    expect(await Account.where({ owner: oneOf(["a", "c", "x"]) }).count()).toBe(2);
  });

  it("runs afterCommit after the commit, and not after a rollback", async () => {
    const log: string[] = [];
    await ActiveRecord.transaction(async () => {
      await Account.create({ owner: "z" });
      void afterCommit(async () => log.push(`committed, seen ${await Account.count()}`));
    });
    await ActiveRecord.transaction(async () => {
      void afterCommit(() => void log.push("never"));
      throw new Error("no");
    }).catch(() => undefined);
    expect(log).toEqual(["committed, seen 1"]);
  });

  it("retries a real serialization failure between two transactions", async () => {
    await Account.insertMany([{ owner: "x", balance: 1 }, { owner: "y", balance: 1 }]);
    const readA = gate();
    const readB = gate();
    const attempts = { a: 0, b: 0 };
    const retried: unknown[] = [];
    // Write skew: each reads the total, then inserts a row based on it. Under SERIALIZABLE one must fail.
    const scope = (name: "a" | "b", mine: ReturnType<typeof gate>, theirs: ReturnType<typeof gate>) =>
      ActiveRecord.transaction(
        async () => {
          attempts[name]++;
          const total = (await Account.sum("balance")) ?? 0;
          mine.open();
          await theirs.promise;
          await Account.create({ owner: `${name}${attempts[name]}`, balance: total });
        },
        { isolation: "serializable", retry: { attempts: 3, backoff: { initialMs: 5 }, onRetry: ({ error }) => void retried.push(error) } },
      );
    await Promise.all([scope("a", readA, readB), scope("b", readB, readA)]);
    expect(retried).toHaveLength(1);
    expect(retried[0]).toBeInstanceOf(SerializationError);
    expect((await Account.orderBy("id").pluck("balance")).slice(2)).toEqual([2, 4]);
  });

  it("turns a prepared statement lost between server connections into a ConfigurationError naming prepare: false", async () => {
    const a = new PostgresBackend({ url: bouncer.url("postgres"), prepare: true, max: 1 });
    const query = { sql: "SELECT count(*) AS n FROM accounts WHERE owner <> $1", params: ["nobody"], kind: "read" as const };
    try {
      await a.execute(query); // prepared by name on the server connection PgBouncer lent to a
      // PgBouncer replaces its server connections (as it does on server_lifetime, a failover, RECONNECT)...
      await bouncer.admin("RECONNECT postgres");
      // ...so a's next transaction runs on a server connection that never saw a's statement.
      // (Outside a transaction postgres.js prepares it again by itself; inside one the failure has aborted it.
      // A statement without parameters would not show it: postgres.js sends those unprepared.)
      const tx = await a.transactions.begin();
      const error = await tx.execute(query).catch((e: unknown) => e);
      await tx.rollback();
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as ConfigurationError).code).toBe("CONFIGURATION");
      expect((error as Error).message).toMatch(/prepare: false/);
      expect((error as Error).message).toMatch(/transaction-mode pooler/);
      expect(((error as Error).cause as { code?: string }).code).toBe("26000");
    } finally {
      await a.disconnect();
    }
  });

  it("lets two migrators started at once apply each migration exactly once, serialised by the advisory lock", async () => {
    const slow: Migration = {
      // Long enough for the other migrator to reach the lock while this transaction holds it.
      up: (s) => s.createTable("widgets", (t) => void t.integer("id", { primaryKey: true, autoIncrement: true }).text("name")).sql`SELECT pg_sleep(1)`,
      down: (s) => s.dropTable("widgets"),
    };
    const migrations = { "001_widgets": slow, "002_widget_color": { change: (s) => s.addColumn("widgets", "color", "text", { nullable: true }) } as Migration };
    const config = { url: bouncer.url("postgres"), prepare: false, max: 5, fetchTypes: false } as const;
    const [a, b] = [new PostgresBackend(config), new PostgresBackend(config)];
    // Watches the server itself, past PgBouncer: who waits on an advisory lock, and what for.
    const direct = postgres(server.url, { max: 1, onnotice: () => undefined });
    const waits = new Set<string>();
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const rows = await direct`SELECT query FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND wait_event = 'advisory'`;
        for (const r of rows) waits.add(String(r.query));
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    try {
      const logs: string[] = [];
      const started = Date.now();
      const runs = await Promise.all([a, b].map((backend, i) => migrate(backend, { migrations, log: (m) => void logs.push(`${i}: ${m}`) })));
      watching = false;
      await watcher;
      // Each migration ran in exactly one of the two (a second CREATE TABLE would have failed the run).
      expect(runs.flat().map((r) => r.name).sort()).toEqual(["001_widgets", "002_widget_color"]);
      expect(logs.filter((m) => m.includes(": applied "))).toHaveLength(2);
      const ledger = await direct.unsafe(`SELECT name, batch FROM ${LEDGER_TABLE} ORDER BY name`);
      expect(ledger.map((r) => r.name)).toEqual(["001_widgets", "002_widget_color"]);
      const columns = await direct`SELECT column_name FROM information_schema.columns WHERE table_name = 'widgets' ORDER BY ordinal_position`;
      expect(columns.map((r) => r.column_name)).toEqual(["id", "name", "color"]);
      // The other migrator really waited for the lock (on the server, behind PgBouncer) while the slow one held it.
      expect([...waits].some((q) => q.includes("pg_advisory_xact_lock"))).toBe(true);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      // Transaction-scoped: nothing stays locked on the server connections PgBouncer keeps for the next client.
      expect((await direct`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'`)[0]!.n).toBe(0);
    } finally {
      watching = false;
      await watcher.catch(() => undefined);
      await direct.unsafe("DROP TABLE IF EXISTS widgets, " + LEDGER_TABLE).catch(() => undefined);
      await direct.end({ timeout: 1 });
      await Promise.all([a.disconnect(), b.disconnect()]);
    }
  }, 30_000);
});
