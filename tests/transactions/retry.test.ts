/**
 * Retry on real lock contention: two connections (two backends) on one file
 * database. While one holds a write transaction, the other's BEGIN IMMEDIATE
 * fails with SQLITE_BUSY (busyTimeout 0), mapped to a retryable SerializationError.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ActiveRecord, ArgumentError, backoffDelay, isRetryable, SerializationError, TransactionError, withRetry } from "../../src/index.ts";
import { LibsqlBackend } from "../../src/backend/libsql/index.ts";
import { decoratorMode } from "../support/mode.ts";
import { Account, freshBackend, gate } from "./support.ts";

describe(`retry (${decoratorMode})`, () => {
  let db: Awaited<ReturnType<typeof freshBackend>>;
  let other: LibsqlBackend;

  beforeEach(async () => {
    db = await freshBackend("file", { busyTimeout: 0 });
    other = new LibsqlBackend({ url: db.url, busyTimeout: 0 });
    ActiveRecord.configure(db.backend);
    await Account.createTable();
  });
  afterEach(async () => {
    await other.disconnect();
    await db.cleanup();
  });

  /** Holds a write transaction on the second connection until `release` is opened. */
  function holdWriteLock() {
    const held = gate();
    const release = gate();
    const done = (async () => {
      const tx = await other.transactions.begin();
      await tx.execute({ sql: "INSERT INTO accounts (owner, balance) VALUES ('other', 0)", params: [] });
      held.open();
      await release.promise;
      await tx.commit();
    })();
    return { held: held.promise, release: release.open, done };
  }

  it("without retry, a busy database is a SerializationError", async () => {
    const lock = holdWriteLock();
    await lock.held;
    const error = await ActiveRecord.transaction(async () => Account.create({ owner: "me" })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SerializationError);
    expect(isRetryable(error)).toBe(true);
    lock.release();
    await lock.done;
  });

  it("transaction({ retry }) runs the whole transaction again once the lock is gone", async () => {
    const lock = holdWriteLock();
    await lock.held;
    const attempts: number[] = [];
    const retries: number[] = [];
    const created = await ActiveRecord.transaction(
      async () => {
        attempts.push(attempts.length + 1);
        return Account.create({ owner: "me" });
      },
      {
        retry: {
          attempts: 3,
          backoff: { initialMs: 1, jitter: "none" },
          onRetry: async ({ attempt }) => {
            retries.push(attempt);
            lock.release(); // the competing transaction commits before the next attempt
            await lock.done;
          },
        },
      },
    );
    // The first attempt failed at BEGIN, before the callback ran; the second ran it once.
    expect(retries).toEqual([1]);
    expect(attempts).toEqual([1]);
    expect(created.owner).toBe("me");
    expect(await Account.orderBy("id").pluck("owner")).toEqual(["other", "me"]);
  });

  it("gives up after `attempts` tries and rethrows the last error", async () => {
    const lock = holdWriteLock();
    await lock.held;
    let tries = 0;
    const error = await withRetry(
      () => {
        tries++;
        return ActiveRecord.transaction(async () => Account.create({ owner: "me" }));
      },
      { attempts: 3, backoff: { initialMs: 0 } },
    ).catch((e: unknown) => e);
    expect(tries).toBe(3);
    expect(error).toBeInstanceOf(SerializationError);
    lock.release();
    await lock.done;
  });

  it("does not retry errors that are not retryable", async () => {
    let tries = 0;
    const boom = new Error("not a conflict");
    await expect(
      withRetry(async () => {
        tries++;
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(tries).toBe(1);
  });

  it("refuses to retry inside an open transaction", async () => {
    await ActiveRecord.transaction(async () => {
      await expect(ActiveRecord.transaction(async () => 1, { retry: { attempts: 2 } })).rejects.toThrow(TransactionError);
      await expect(withRetry(async () => 1)).rejects.toThrow(/outermost/);
    });
  });

  it("validates its options and computes capped exponential delays", async () => {
    await expect(withRetry(async () => 1, { attempts: 0 })).rejects.toThrow(ArgumentError);
    expect([1, 2, 3, 10].map((n) => backoffDelay(n, { initialMs: 10, maxMs: 50 }))).toEqual([10, 20, 40, 50]);
    const wrapped = new TransactionError("COMMIT failed", { cause: new SerializationError("could not serialize access") });
    expect(isRetryable(wrapped)).toBe(true);
    expect(isRetryable(new TransactionError("other"))).toBe(false);
  });
});
