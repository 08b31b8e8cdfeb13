/**
 * Transactions on a real PostgreSQL: isolation levels, read-only, 50
 * concurrent scopes without leaks, a real serialization failure between two
 * connections caught by retry, and checkpoints with TRUNCATE.
 *
 * It fails loudly if no server answers. Server: DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test.
 * Each run gets its own schema `er_<random>` (files run twice, in parallel).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ActiveRecord, afterCommit, column, SerializationError, table, TransactionError, type Backend } from "../../src/index.ts";
import { StateManager } from "../../src/testing/index.ts";
import { decoratorMode } from "../support/mode.ts";
import { gate, yieldTurns } from "./support.ts";

import { PostgresBackend } from "../../src/backend/postgres/index.ts";

const DATABASE_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

@table("pg_accounts")
class PgAccount extends ActiveRecord {
  @column.id() id!: number;
  @column.text() owner!: string;
  @column.integer({ default: 0 }) balance!: number;
}

const run = (backend: Backend, sql: string) => backend.execute({ sql, params: [] });

describe(`transactions on PostgreSQL (${decoratorMode})`, () => {
  const schema = `er_${Math.random().toString(36).slice(2, 10)}`;
  let admin: Backend;
  let backend: Backend;

  beforeAll(async () => {
    admin = new PostgresBackend({ url: DATABASE_URL, max: 1 });
    try {
      await run(admin, `CREATE SCHEMA "${schema}"`);
    } catch (error) {
      throw new Error(`PostgreSQL tests need a server at DATABASE_URL (${DATABASE_URL.replace(/\/\/[^@]*@/, "//")}): ${(error as Error).message}`, {
        cause: error,
      });
    }
    backend = new PostgresBackend({ url: DATABASE_URL, max: 10, connection: { search_path: schema } });
    ActiveRecord.configure(backend);
    await PgAccount.createTable();
  });
  afterAll(async () => {
    await backend?.disconnect();
    await run(admin, `DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => admin.disconnect());
  });
  beforeEach(async () => {
    await run(backend, `TRUNCATE "${schema}".pg_accounts RESTART IDENTITY`);
  });

  const owners = async () => PgAccount.orderBy("id").pluck("owner");

  it("commits, rolls back, and rolls back only a caught nested part", async () => {
    await ActiveRecord.transaction(async () => {
      await PgAccount.create({ owner: "a" });
      await ActiveRecord.transaction(async () => {
        await PgAccount.create({ owner: "b" });
        throw new Error("inner");
      }).catch(() => undefined);
      await PgAccount.create({ owner: "c" });
    });
    const boom = new Error("outer");
    await expect(
      ActiveRecord.transaction(async () => {
        await PgAccount.create({ owner: "d" });
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await owners()).toEqual(["a", "c"]);
  });

  it("honours every isolation level it advertises, and read-only", async () => {
    expect(backend.dialect.capabilities.isolationLevels).toContain("serializable");
    for (const level of backend.dialect.capabilities.isolationLevels) {
      const shown = await ActiveRecord.transaction(async () => (await PgAccount.raw("SHOW transaction_isolation"))[0]!.transaction_isolation, {
        isolation: level,
      });
      expect(shown).toBe(level);
    }
    expect(backend.dialect.capabilities.readOnlyTransactions).toBe(true);
    await expect(ActiveRecord.transaction(async () => PgAccount.create({ owner: "nope" }), { readOnly: true })).rejects.toThrow(/read-only/);
    expect(await PgAccount.count()).toBe(0);
    await expect(ActiveRecord.transaction(async () => 1, { isolation: "snapshot" as never })).rejects.toThrow(TransactionError);
  });

  it("50 concurrent scopes never see or commit each other's work; rollbacks leave the others intact", async () => {
    const leaks: string[] = [];
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        ActiveRecord.transaction(async () => {
          const owner = `s${i}`;
          await PgAccount.create({ owner });
          await yieldTurns(2);
          const visible = await owners();
          if (!visible.includes(owner)) leaks.push(`${owner} cannot see its own row`);
          // Odd scopes roll back: no other scope may ever see their rows.
          for (const other of visible) if (other !== owner && Number(other.slice(1)) % 2 === 1) leaks.push(`${owner} saw ${other}`);
          if (i % 2 === 1) throw new Error(`${owner} rolls back`);
        }),
      ),
    );
    expect(leaks).toEqual([]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(25);
    const final = (await owners()).sort();
    expect(final).toEqual(Array.from({ length: 25 }, (_, k) => `s${k * 2}`).sort());
  });

  it("a real serialization failure between two connections is caught by retry", async () => {
    await PgAccount.insertMany([{ owner: "x", balance: 1 }, { owner: "y", balance: 1 }]);
    const readA = gate();
    const readB = gate();
    const attempts = { a: 0, b: 0 };
    const retried: unknown[] = [];
    // Write skew: each reads the total, then inserts a row based on it. Under SERIALIZABLE one must fail.
    const scope = (name: "a" | "b", mine: ReturnType<typeof gate>, theirs: ReturnType<typeof gate>) =>
      ActiveRecord.transaction(
        async () => {
          attempts[name]++;
          const total = (await PgAccount.sum("balance")) ?? 0;
          mine.open();
          await theirs.promise;
          await PgAccount.create({ owner: `${name}${attempts[name]}`, balance: total });
        },
        { isolation: "serializable", retry: { attempts: 3, backoff: { initialMs: 5 }, onRetry: ({ error }) => void retried.push(error) } },
      );
    await Promise.all([scope("a", readA, readB), scope("b", readB, readA)]);
    expect(retried).toHaveLength(1);
    expect(retried[0]).toBeInstanceOf(SerializationError);
    expect(attempts.a + attempts.b).toBe(3);
    // The retried scope saw the other's commit: its row carries the larger total.
    const balances = (await PgAccount.orderBy("id").pluck("balance")).slice(2);
    expect(balances).toEqual([2, 4]);
  });

  it("afterCommit runs after the outermost commit on PostgreSQL too", async () => {
    const log: string[] = [];
    await ActiveRecord.transaction(async () => {
      await ActiveRecord.transaction(async () => {
        void afterCommit(async () => log.push(`seen ${await PgAccount.count()}`));
        await PgAccount.create({ owner: "z" });
      });
      expect(log).toEqual([]);
    });
    expect(log).toEqual(["seen 1"]);
  });

  it("checkpoints and reset with TRUNCATE ... RESTART IDENTITY CASCADE", async () => {
    await PgAccount.create({ owner: "committed" });
    const manager = new StateManager(backend);
    await manager.connect();
    try {
      await manager.checkpoint("start");
      await PgAccount.create({ owner: "in checkpoint" });
      await manager.reset();
      expect(await PgAccount.count()).toBe(0);
      expect((await PgAccount.create({ owner: "after reset" })).id).toBe(1);
      await manager.rollback("start");
      expect(await owners()).toEqual(["committed"]);
      await expect(manager.release("start")).rejects.toThrow(/already rolled back/);
      await expect(manager.reset({ tables: ["missing"] })).rejects.toThrow(/no such table: missing/);
    } finally {
      await manager.disconnect();
    }
    expect(await owners()).toEqual(["committed"]);
  });
});
