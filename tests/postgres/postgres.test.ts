/** PostgreSQL specifics beyond the conformance suite: connection failures, error details, types on the wire. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import postgres from "postgres";
import { ActiveRecord, column, table, ConfigurationError, ConnectionError, IntegrityError, SerializationError, TransactionError, sql } from "../../src/index.ts";
import { PostgresBackend } from "../../src/backend/postgres/index.ts";
import { decoratorMode } from "../support/mode.ts";
import { createTestSchema, DATABASE_URL, needsRealServer, onPgliteFallback, type TestSchema } from "../support/postgres.ts";
import { createProxy, freePort } from "../support/tcp-proxy.ts";

const server = new URL(DATABASE_URL);
const pglite = await onPgliteFallback();
const PASSWORD = "s3cret-Pa55word";

/** DATABASE_URL with another port and a password the messages must never show. */
function urlWith(port: number): string {
  const url = new URL(DATABASE_URL);
  url.port = String(port);
  url.username ||= "postgres";
  url.password = PASSWORD;
  return url.toString();
}

function expectNoSecret(error: unknown): void {
  const text = `${(error as Error).message} ${(error as Error).stack ?? ""}`;
  expect(text).not.toContain(PASSWORD);
}

describe(`PostgreSQL backend (${decoratorMode})`, () => {
  let schema: TestSchema;
  let backend: PostgresBackend;

  beforeAll(async () => {
    schema = await createTestSchema();
    backend = new PostgresBackend(schema.config);
  });
  afterAll(async () => {
    await backend?.disconnect();
    await schema?.drop();
  });

  describe("connection failures", () => {
    it("a closed port is a ConnectionError naming host and port, never the password", async () => {
      const port = await freePort();
      const down = new PostgresBackend({ url: urlWith(port), connectTimeout: 5000 });
      try {
        const error = await down.connect().then(() => null, (e: unknown) => e);
        expect(error).toBeInstanceOf(ConnectionError);
        expect((error as ConnectionError).message).toContain(`${server.hostname}:${port}`);
        expect((error as ConnectionError).cause).toBeDefined();
        expectNoSecret(error);
        await expect(down.execute({ sql: "SELECT 1", params: [] })).rejects.toBeInstanceOf(ConnectionError);
      } finally {
        await down.disconnect();
      }
    });

    it("a password given as a field is never in the message either", async () => {
      const port = await freePort();
      const down = new PostgresBackend({ host: "127.0.0.1", port, database: "test", username: "postgres", password: PASSWORD });
      try {
        const error = await down.ping().then(() => null, (e: unknown) => e);
        expect(error).toBeInstanceOf(ConnectionError);
        expect((error as Error).message).toContain(`127.0.0.1:${port}/test`);
        expectNoSecret(error);
      } finally {
        await down.disconnect();
      }
    });

    it("an unknown host is a ConnectionError", async () => {
      const down = new PostgresBackend({ url: `postgres://postgres:${PASSWORD}@no-such-host.invalid:5432/test`, connectTimeout: 5000 });
      try {
        const error = await down.connect().then(() => null, (e: unknown) => e);
        expect(error).toBeInstanceOf(ConnectionError);
        expect((error as Error).message).toContain("no-such-host.invalid:5432");
        expectNoSecret(error);
      } finally {
        await down.disconnect();
      }
    });

    // max: 1 because postgres.js (3.4.9) with a larger pool lets end() hang after a lost
    // connection until disconnect()'s timeout: harmless, but slow for a test.
    it("the same backend works once the server is back, and reports it lost again", async () => {
      const target = new URL(schema.url);
      const proxy = await createProxy({ host: target.hostname, port: Number(target.port || 5432) });
      target.port = String(proxy.port);
      const flaky = new PostgresBackend({ ...schema.config, url: target.toString(), max: 1 });
      try {
        await expect(flaky.connect()).rejects.toBeInstanceOf(ConnectionError);
        await proxy.start();
        await flaky.connect();
        expect((await flaky.execute({ sql: "SELECT 41 + 1 AS answer", params: [] })).rows).toEqual([{ answer: 42 }]);
        await proxy.stop();
        await expect(flaky.ping()).rejects.toBeInstanceOf(ConnectionError);
        await proxy.start();
        await flaky.ping();
      } finally {
        await flaky.disconnect();
        await proxy.stop();
      }
    });

    it("a backend on the right port works after another failed", async () => {
      const wrong = new PostgresBackend({ url: urlWith(await freePort()) });
      await expect(wrong.ping()).rejects.toBeInstanceOf(ConnectionError);
      await wrong.disconnect();
      const right = new PostgresBackend(schema.config);
      await right.ping();
      await right.disconnect();
    });

    it("disconnect() then connect() opens a new pool", async () => {
      const b = new PostgresBackend(schema.config);
      await b.connect();
      await b.disconnect();
      await b.connect();
      await b.disconnect();
    });
  });

  describe("configuration", () => {
    it.skipIf(pglite)(`fields instead of a url, with server parameters ${needsRealServer}`, async () => {
      const b = new PostgresBackend({
        host: server.hostname,
        port: Number(server.port || 5432),
        database: server.pathname.slice(1),
        username: decodeURIComponent(server.username) || "postgres",
        ...(server.password ? { password: decodeURIComponent(server.password) } : {}),
        max: 1,
        idleTimeout: 2000,
        connection: { search_path: schema.schema, application_name: "edgerecord-test" },
      });
      try {
        const { rows } = await b.execute({ sql: "SELECT current_schema() AS s, current_setting('application_name') AS app", params: [] });
        expect(rows).toEqual([{ s: schema.schema, app: "edgerecord-test" }]);
      } finally {
        await b.disconnect();
      }
    });

    it("refuses a config with neither url nor host", () => {
      expect(() => new PostgresBackend({} as never)).toThrow(/url/);
    });

    it("an unparseable url is a ConfigurationError that does not quote it", async () => {
      const bad = new PostgresBackend({ url: `postgres://user:${PASSWORD}@[not-a-host/db` });
      const error = await bad.ping().then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigurationError);
      expectNoSecret(error);
      expect((error as Error).cause).toBeUndefined();
    });
  });

  describe("errors", () => {
    beforeAll(async () => {
      await backend.execute({ sql: "CREATE TABLE accounts (id INTEGER PRIMARY KEY, email TEXT NOT NULL CONSTRAINT accounts_email_key UNIQUE, balance INTEGER NOT NULL CONSTRAINT balance_positive CHECK (balance >= 0))", params: [] });
      await backend.execute({ sql: "CREATE TABLE transfers (id SERIAL PRIMARY KEY, account_id INTEGER CONSTRAINT transfers_account_fkey REFERENCES accounts (id))", params: [] });
      await backend.execute({ sql: "INSERT INTO accounts VALUES (1, 'a@x.test', 10), (2, 'b@x.test', 10)", params: [] });
    });

    const attempt = async (text: string, params: unknown[] = []) => backend.execute({ sql: text, params }).then(() => null, (e: unknown) => e);

    it("unique: constraint, table and the column from the detail", async () => {
      const error = (await attempt("INSERT INTO accounts VALUES ($1, $2, $3)", [3, "a@x.test", 1])) as IntegrityError;
      expect(error).toBeInstanceOf(IntegrityError);
      expect({ kind: error.kind, constraint: error.constraint, table: error.table, column: error.column }).toEqual({
        kind: "unique",
        constraint: "accounts_email_key",
        table: "accounts",
        column: "email",
      });
      expect(error.params).toEqual([3, "a@x.test", 1]);
      expect(error.sql).toContain("INSERT INTO accounts");
    });

    it("not null, check and foreign key", async () => {
      const notNull = (await attempt("INSERT INTO accounts VALUES (4, NULL, 1)")) as IntegrityError;
      expect([notNull.kind, notNull.table, notNull.column]).toEqual(["not_null", "accounts", "email"]);
      const check = (await attempt("UPDATE accounts SET balance = -5 WHERE id = 1")) as IntegrityError;
      expect([check.kind, check.constraint, check.table]).toEqual(["check", "balance_positive", "accounts"]);
      const fk = (await attempt("INSERT INTO transfers (account_id) VALUES (99)")) as IntegrityError;
      expect([fk.kind, fk.constraint, fk.table, fk.column]).toEqual(["foreign_key", "transfers_account_fkey", "transfers", "account_id"]);
    });

    it.skipIf(pglite)(`a serialization failure is a retryable SerializationError ${needsRealServer}`, async () => {
      const first = await backend.transactions.begin({ isolation: "repeatable read" });
      try {
        await first.execute({ sql: "SELECT balance FROM accounts WHERE id = 2", params: [] });
        await backend.execute({ sql: "UPDATE accounts SET balance = balance + 1 WHERE id = 2", params: [] });
        const error = await first.execute({ sql: "UPDATE accounts SET balance = balance + 1 WHERE id = 2", params: [] }).then(() => null, (e: unknown) => e);
        expect(error).toBeInstanceOf(SerializationError);
        expect((error as SerializationError).retryable).toBe(true);
      } finally {
        await first.rollback();
      }
    });

    it("COMMIT after a failed statement is a TransactionError, and nothing is kept", async () => {
      const tx = await backend.transactions.begin();
      await tx.execute({ sql: "UPDATE accounts SET balance = 0 WHERE id = 1", params: [] });
      await expect(tx.execute({ sql: "SELECT nope FROM accounts", params: [] })).rejects.toThrow();
      await expect(tx.execute({ sql: "SELECT 1", params: [] })).rejects.toBeInstanceOf(TransactionError);
      await expect(tx.commit()).rejects.toBeInstanceOf(TransactionError);
      expect((await backend.execute({ sql: "SELECT balance FROM accounts WHERE id = 1", params: [] })).rows).toEqual([{ balance: 10 }]);
    });

    it("a transaction's connection goes back to the pool whatever happens", async () => {
      const small = new PostgresBackend({ ...schema.config, max: 1 });
      try {
        for (let i = 0; i < 3; i++) {
          const tx = await small.transactions.begin();
          await tx.execute({ sql: "SELECT nope", params: [] }).catch(() => undefined);
          await tx.commit().catch(() => undefined);
        }
        const tx = await small.transactions.begin({ readOnly: true });
        await tx.rollback();
        await small.ping();
      } finally {
        await small.disconnect();
      }
    });
  });

  describe("values on the wire", () => {
    @table("documents")
    class Doc extends ActiveRecord {
      @column.id() id!: number;
      @column.json() body!: unknown;
      @column.bigint() big!: bigint;
      @column.decimal({ precision: 30, scale: 10 }) amount!: string;
      @column.datetime() at!: Date;
      @column.date() day!: Date;
    }

    beforeAll(async () => {
      Doc.configure(backend);
      await Doc.createTable();
    });

    it("json is stored as a JSON value, not as a string holding JSON", async () => {
      const doc = await Doc.create({ body: { tags: ["a", "b"], n: 1 }, big: 1n, amount: "1", at: new Date(), day: new Date("2024-01-01T00:00:00Z") });
      const [row] = await Doc.raw(sql`SELECT jsonb_typeof(body) AS kind, body ->> 'n' AS n FROM documents WHERE id = ${doc.id}`);
      expect(row).toEqual({ kind: "object", n: "1" });
      const asString = await Doc.create({ body: "text", big: 1n, amount: "1", at: new Date(), day: new Date("2024-01-01T00:00:00Z") });
      const [other] = await Doc.raw(sql`SELECT jsonb_typeof(body) AS kind FROM documents WHERE id = ${asString.id}`);
      expect(other).toEqual({ kind: "string" });
      expect(await Doc.where({ body: { tags: ["a", "b"], n: 1 } }).count()).toBe(1);
    });

    it("int8 is a bigint, numeric keeps every digit, timestamptz and date are Dates", async () => {
      const at = new Date("2024-06-30T23:59:59.999Z");
      const doc = await Doc.create({ body: {}, big: 2n ** 63n - 1n, amount: "12345678901234567890.0123456789", at, day: new Date("2024-02-29T00:00:00Z") });
      const found = await Doc.find(doc.id);
      expect(found?.big).toBe(2n ** 63n - 1n);
      expect(found?.amount).toBe("12345678901234567890.0123456789");
      expect(found?.at).toEqual(at);
      expect(found?.day).toEqual(new Date("2024-02-29T00:00:00Z"));
      const [types] = await Doc.raw(sql`SELECT pg_typeof(big)::text AS big, pg_typeof(amount)::text AS amount, pg_typeof(at)::text AS at FROM documents WHERE id = ${doc.id}`);
      expect(types).toEqual({ big: "bigint", amount: "numeric", at: "timestamp with time zone" });
    });

    it.skipIf(pglite)(`timestamps mean the same instant whatever the session time zone ${needsRealServer}`, async () => {
      const tokyo = new PostgresBackend({ ...schema.config, connection: { ...schema.config.connection, TimeZone: "Asia/Tokyo" } });
      try {
        const at = new Date("2001-02-03T04:05:06.789Z");
        const { rows } = await tokyo.execute(tokyo.dialect.compile(sql`SELECT ${at}::timestamptz AS at, ${at}::timestamptz::text AS text`));
        expect(tokyo.dialect.values.fromDatabase("datetime", rows[0]!["at"])).toEqual(at);
        expect(rows[0]!["text"]).toContain("+09");
      } finally {
        await tokyo.disconnect();
      }
    });
  });

  it.skipIf(pglite)(`uses the pool postgres.js gives it, not one connection ${needsRealServer}`, async () => {
    const admin = postgres(DATABASE_URL, { max: 1, onnotice: () => undefined });
    try {
      const b = new PostgresBackend({ ...schema.config, max: 3, connection: { ...schema.config.connection, application_name: `er-pool-${schema.schema}` } });
      const txs = await Promise.all([b.transactions.begin(), b.transactions.begin(), b.transactions.begin()]);
      const rows = await admin<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = ${`er-pool-${schema.schema}`}`;
      expect(rows[0]?.n).toBe(3);
      await Promise.all(txs.map((tx) => tx.rollback()));
      await b.disconnect();
    } finally {
      await admin.end();
    }
  });
});
