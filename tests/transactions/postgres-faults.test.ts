/**
 * A PostgreSQL connection that dies inside a transaction, on the real server:
 * killed with pg_terminate_backend from a second connection at each point of
 * a scope (before the first statement, during a statement, between
 * statements, at COMMIT), or cut / silenced by a TCP proxy on 127.0.0.1.
 * Every time the caller gets an EdgeRecord error, nothing is committed, the
 * process lives (an uncaught error would fail this run) and the next query works.
 *
 * Timeouts: the server's cancel (statement_timeout) and the client's deadline
 * on a silent network are QueryTimeoutErrors.
 *
 * Needs two real connections (one is killed by the other): skipped on the PGlite fallback.
 */
import postgres from "postgres";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ActiveRecord, column, ConnectionError, QueryTimeoutError, table, TransactionError } from "../../src/index.ts";
import { PostgresBackend } from "../../src/backend/postgres/index.ts";
import { decoratorMode } from "../support/mode.ts";
import { createTestSchema, needsRealServer, onPgliteFallback, type TestSchema } from "../support/postgres.ts";
import { createProxy, type Proxy } from "../support/tcp-proxy.ts";

@table("pg_faults")
class Fault extends ActiveRecord {
  @column.id() id!: number;
  @column.text() owner!: string;
}

const skip = await onPgliteFallback();

describe.skipIf(skip)(`a PostgreSQL connection lost inside a transaction ${needsRealServer} (${decoratorMode})`, () => {
  const app = `er_fault_${Math.random().toString(36).slice(2, 10)}`;
  const lockKey = Math.floor(Math.random() * 1_000_000_000);
  let schema: TestSchema;
  let backend: PostgresBackend;
  let admin: postgres.Sql;
  let locker: postgres.Sql;

  beforeAll(async () => {
    schema = await createTestSchema();
    admin = postgres(schema.url, { max: 1, onnotice: () => undefined });
    locker = postgres(schema.url, { max: 1, onnotice: () => undefined });
    backend = new PostgresBackend({ ...schema.config, connection: { ...schema.config.connection, application_name: app } });
    Fault.configure(backend);
    await Fault.createTable();
    // A row owned "at-commit..." makes COMMIT wait for an advisory lock the test holds: a COMMIT we can kill.
    await admin.unsafe(`
      CREATE FUNCTION "${schema.schema}".wait_for_test_lock() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_advisory_xact_lock(${lockKey}); RETURN NULL; END $$`);
    await admin.unsafe(`
      CREATE CONSTRAINT TRIGGER slow_commit AFTER INSERT ON "${schema.schema}".pg_faults DEFERRABLE INITIALLY DEFERRED
      FOR EACH ROW WHEN (NEW.owner LIKE 'at-commit%') EXECUTE FUNCTION "${schema.schema}".wait_for_test_lock()`);
  });
  afterAll(async () => {
    await backend?.disconnect();
    await locker?.end({ timeout: 5 });
    await admin?.end({ timeout: 5 });
    await schema?.drop();
  });
  beforeEach(async () => {
    await admin.unsafe(`TRUNCATE "${schema.schema}".pg_faults RESTART IDENTITY`);
  });
  afterEach(async () => {
    // The next query works, on a fresh connection if need be, and nothing was committed.
    expect(await Fault.count()).toBe(0);
    expect(await committed()).toEqual([]);
  });

  const committed = async () => (await admin.unsafe(`SELECT owner FROM "${schema.schema}".pg_faults ORDER BY id`)).map((r) => r.owner as string);

  /** Waits (polling the server, no timing assumed) for one of our backend's sessions to match. */
  async function sessionWhere(condition: string): Promise<number> {
    for (let attempt = 0; attempt < 500; attempt++) {
      const rows = await admin.unsafe(`SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND ${condition}`, [app]);
      if (rows.length === 1) return rows[0]!.pid as number;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no session of ${app} where ${condition}`);
  }

  async function kill(pid: number): Promise<void> {
    await admin.unsafe("SELECT pg_terminate_backend($1)", [pid]);
    await admin.unsafe("SELECT 1 FROM pg_stat_activity WHERE pid = $1", [pid]);
  }

  it("killed before the first statement: ConnectionError, nothing committed", async () => {
    const error = await ActiveRecord.transaction(async () => {
      await kill(await sessionWhere("state = 'idle in transaction'"));
      await Fault.create({ owner: "first" });
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
  });

  it("killed during a statement (pg_sleep): ConnectionError, nothing committed", async () => {
    const error = await ActiveRecord.transaction(async () => {
      await Fault.create({ owner: "before sleep" });
      const sleeping = Fault.raw("SELECT pg_sleep(60)");
      sleeping.catch(() => undefined); // awaited below, once the kill is done
      await kill(await sessionWhere("state = 'active' AND query LIKE '%pg_sleep%'"));
      await sleeping;
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
  });

  it("killed between statements: ConnectionError, the earlier write is not committed", async () => {
    const error = await ActiveRecord.transaction(async () => {
      await Fault.create({ owner: "one" });
      await kill(await sessionWhere("state = 'idle in transaction'"));
      await Fault.create({ owner: "two" });
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
  });

  it("killed at COMMIT: a TransactionError saying the outcome is unknown (here: not committed)", async () => {
    await locker.unsafe("SELECT pg_advisory_lock($1)", [lockKey]);
    try {
      const outcome = ActiveRecord.transaction(async () => {
        await Fault.create({ owner: "at-commit" });
      }).catch((e: unknown) => e);
      await kill(await sessionWhere("state = 'active' AND wait_event_type = 'Lock' AND query ILIKE 'commit%'"));
      const error = await outcome;
      expect(error).toBeInstanceOf(TransactionError);
      expect((error as TransactionError).commitOutcomeUnknown).toBe(true);
      expect((error as TransactionError).cause).toBeInstanceOf(ConnectionError);
    } finally {
      await locker.unsafe("SELECT pg_advisory_unlock($1)", [lockKey]);
    }
  });

  it("a savepoint whose connection dies: the error reaches the caller, nothing committed", async () => {
    const error = await ActiveRecord.transaction(async () => {
      await Fault.create({ owner: "outer" });
      await ActiveRecord.transaction(async () => {
        await Fault.create({ owner: "inner" });
        await kill(await sessionWhere("state = 'idle in transaction'"));
        await Fault.create({ owner: "inner 2" });
      });
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
  });

  it("a transaction's own timeout cancels its statements (the backend has no statementTimeout)", async () => {
    const error = await Fault.transaction(async () => {
      await Fault.raw("SELECT pg_sleep(60)");
    }, { timeout: 100 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryTimeoutError);
    await expect(Fault.transaction(async () => 1, { timeout: 0 })).rejects.toThrow(TransactionError);
  });

  it("many scopes at once, one connection killed: only that scope fails", async () => {
    const gate = { open: undefined as undefined | (() => void) };
    const held = new Promise<void>((resolve) => (gate.open = resolve));
    const victim = ActiveRecord.transaction(async () => {
      await Fault.create({ owner: "victim" });
      await held;
      await Fault.create({ owner: "victim 2" });
    }).catch((e: unknown) => e);
    const pid = await sessionWhere("state = 'idle in transaction'");
    const others = Promise.all([1, 2, 3].map((i) => ActiveRecord.transaction(async () => void (await Fault.create({ owner: `other ${i}` })))));
    await kill(pid);
    gate.open!();
    expect(await victim).toBeInstanceOf(ConnectionError);
    await others;
    expect((await committed()).sort()).toEqual(["other 1", "other 2", "other 3"]);
    await admin.unsafe(`TRUNCATE "${schema.schema}".pg_faults`);
  });
});

describe.skipIf(skip)(`PostgreSQL behind a TCP proxy that drops or goes silent ${needsRealServer} (${decoratorMode})`, () => {
  let schema: TestSchema;
  let proxy: Proxy;
  let backend: PostgresBackend;

  beforeAll(async () => {
    schema = await createTestSchema();
    const target = new URL(schema.url);
    proxy = await createProxy({ host: target.hostname, port: Number(target.port || 5432) });
    await proxy.start();
    const url = new URL(schema.url);
    url.port = String(proxy.port);
    backend = new PostgresBackend({ ...schema.config, url: url.toString(), statementTimeout: 300 });
    Fault.configure(backend);
    await Fault.createTable();
  });
  afterAll(async () => {
    proxy?.thaw();
    await backend?.disconnect();
    await proxy?.stop();
    await schema?.drop();
  });

  it("a proxy that cuts the connection mid-transaction: ConnectionError; the next query works once it is back", async () => {
    const error = await ActiveRecord.transaction(async () => {
      await Fault.create({ owner: "cut" });
      await proxy.stop();
      await Fault.create({ owner: "cut 2" });
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    await proxy.start();
    expect(await Fault.count()).toBe(0);
  });

  it("a silent network inside a transaction: the client's deadline gives a QueryTimeoutError; nothing is committed", async () => {
    const error = await ActiveRecord.transaction(async () => {
      await Fault.create({ owner: "silent" });
      proxy.freeze();
      await Fault.count();
    }).catch((e: unknown) => e);
    proxy.thaw();
    expect(error).toBeInstanceOf(QueryTimeoutError);
    expect((error as QueryTimeoutError).serverCancelled).toBe(false);
    expect(await Fault.count()).toBe(0);
  });

  it("a silent network in autocommit: QueryTimeoutError, and the backend recovers", async () => {
    proxy.freeze();
    const error = await Fault.count().catch((e: unknown) => e);
    proxy.thaw();
    expect(error).toBeInstanceOf(QueryTimeoutError);
    expect(await Fault.count()).toBe(0);
  });

  it("the server cancels a statement past statementTimeout: QueryTimeoutError, the transaction rolls back", async () => {
    const error = await ActiveRecord.transaction(async () => {
      await Fault.create({ owner: "slow" });
      await Fault.raw("SELECT pg_sleep(60)");
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryTimeoutError);
    expect((error as QueryTimeoutError).serverCancelled).toBe(true);
    expect((error as QueryTimeoutError).code).toBe("QUERY_TIMEOUT");
    expect(await Fault.count()).toBe(0);
  });

});
