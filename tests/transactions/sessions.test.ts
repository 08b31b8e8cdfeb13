/**
 * Models run through a session (a dialect plus where statements go); a
 * transaction handle is one, not a backend. Real libSQL databases.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ActiveRecord, ConfigurationError, inTransaction, TransactionError } from "../../src/index.ts";
import { decoratorMode } from "../support/mode.ts";
import { Account, freshBackend } from "./support.ts";

describe(`sessions (${decoratorMode})`, () => {
  let db: Awaited<ReturnType<typeof freshBackend>>;

  beforeEach(async () => {
    db = await freshBackend("memory");
    ActiveRecord.configure(db.backend);
    await Account.createTable();
  });
  afterEach(() => db.cleanup());

  it("a transaction handle is not a backend: configure() refuses it, and Model.using(tx).backend is the backend", async () => {
    await ActiveRecord.transaction(async (tx) => {
      expect(() => Account.configure(tx as never)).toThrow(ConfigurationError);
      expect(Account.using(tx).backend).toBe(db.backend);
      expect(inTransaction(tx)).toBe(true);
      expect(inTransaction(db.backend)).toBe(true);
    });
    expect(inTransaction(db.backend)).toBe(false);
  });

  it("insertMany through a handle that has ended refuses instead of autocommitting a batch", async () => {
    let kept!: Parameters<Parameters<typeof ActiveRecord.transaction>[0]>[0];
    await ActiveRecord.transaction(async (tx) => {
      kept = tx;
    });
    const error = await Account.using(kept)
      .insertMany([{ owner: "a" }, { owner: "b" }])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionError);
    expect(await Account.count()).toBe(0);
  });
});
