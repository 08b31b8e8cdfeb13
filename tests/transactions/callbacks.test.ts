import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ActiveRecord, afterCommit, afterRollback, onCallbackError } from "../../src/index.ts";
import { decoratorMode } from "../support/mode.ts";
import { Account, freshBackend } from "./support.ts";

describe(`afterCommit / afterRollback (${decoratorMode})`, () => {
  let db: Awaited<ReturnType<typeof freshBackend>>;
  let log: string[];

  beforeEach(async () => {
    db = await freshBackend("memory");
    ActiveRecord.configure(db.backend);
    await Account.createTable();
    log = [];
  });
  afterEach(() => db.cleanup());

  it("runs afterCommit once, after the outermost commit, in registration order", async () => {
    await ActiveRecord.transaction(async () => {
      void afterCommit(() => log.push("outer"));
      await ActiveRecord.transaction(async () => {
        void Account.afterCommit(() => log.push("inner"));
        await ActiveRecord.transaction(async () => {
          void afterCommit(() => log.push("innermost"));
        });
        expect(log).toEqual([]); // a released savepoint is not a commit
      });
      void afterRollback(() => log.push("never: committed"));
      expect(log).toEqual([]);
    });
    expect(log).toEqual(["outer", "inner", "innermost"]);
  });

  it("a callback sees the committed data, outside the transaction", async () => {
    let count = -1;
    await ActiveRecord.transaction(async () => {
      await Account.create({ owner: "ann" });
      void afterCommit(async () => {
        count = await Account.count(); // would wait forever on the single connection if still inside
      });
    });
    expect(count).toBe(1);
  });

  it("runs afterRollback (not afterCommit) when the outermost transaction rolls back", async () => {
    await expect(
      ActiveRecord.transaction(async () => {
        void afterCommit(() => log.push("commit"));
        await ActiveRecord.transaction(async () => {
          void afterRollback(() => log.push("inner rollback"));
        });
        void afterRollback(() => log.push("outer rollback"));
        throw new Error("fail");
      }),
    ).rejects.toThrow("fail");
    expect(log).toEqual(["inner rollback", "outer rollback"]);
  });

  it("a savepoint rolled back drops its afterCommit callbacks and runs its afterRollback ones after the outermost commit", async () => {
    await ActiveRecord.transaction(async () => {
      void afterCommit(() => log.push("outer commit"));
      await ActiveRecord.transaction(async () => {
        void afterCommit(() => log.push("discarded commit"));
        void afterRollback(() => log.push("savepoint rollback"));
        throw new Error("inner");
      }).catch(() => undefined);
      expect(log).toEqual([]); // not while the transaction still holds the connection
    });
    expect(log).toEqual(["outer commit", "savepoint rollback"]);
  });

  it("outside a transaction afterCommit runs at once and afterRollback never", async () => {
    await afterCommit(() => log.push("now"));
    await afterRollback(() => log.push("never"));
    expect(log).toEqual(["now"]);
  });

  it("a failing callback does not change the outcome: the rest still run and the error goes to the handler", async () => {
    const reported: unknown[] = [];
    const restore = onCallbackError((error, phase) => reported.push([phase, (error as Error).message]));
    try {
      const result = await ActiveRecord.transaction(async () => {
        await Account.create({ owner: "kept" });
        void afterCommit(() => {
          throw new Error("callback broke");
        });
        void afterCommit(() => log.push("second"));
        return "ok";
      });
      expect(result).toBe("ok");
      expect(await Account.count()).toBe(1);
      expect(log).toEqual(["second"]);
      expect(reported).toEqual([["commit", "callback broke"]]);
    } finally {
      restore();
    }
  });

  it("registering on a transaction handle that has ended is an error", async () => {
    let saved: { afterCommit(fn: () => void): Promise<void> } | undefined;
    await ActiveRecord.transaction(async (tx) => {
      saved = tx;
    });
    expect(() => saved!.afterCommit(() => undefined)).toThrow(/already ended/);
  });
});
