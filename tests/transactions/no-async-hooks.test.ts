/**
 * A Worker without `nodejs_als`/`nodejs_compat` has no `node:async_hooks`.
 * The module is made unloadable here (vi.mock with a throwing factory, as
 * workerd throws "No such module"); the database is still a real libSQL one.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("node:async_hooks", () => {
  throw new Error('No such module "node:async_hooks"');
});

import { ActiveRecord, ConfigurationError, afterCommit } from "../../src/index.ts";
import { decoratorMode } from "../support/mode.ts";
import { Account, freshBackend } from "./support.ts";

describe(`without AsyncLocalStorage (${decoratorMode})`, () => {
  let db: Awaited<ReturnType<typeof freshBackend>>;

  beforeEach(async () => {
    db = await freshBackend("memory");
    ActiveRecord.configure(db.backend);
    await Account.createTable();
  });
  afterEach(() => db.cleanup());

  it("importing works, plain queries work, and an ambient scope fails naming the flags", async () => {
    await Account.create({ owner: "autocommit" });
    const error = await ActiveRecord.transaction(async () => Account.count()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(/nodejs_als/);
    expect((error as Error).message).toMatch(/nodejs_compat/);
  });

  it("the explicit form commits, rolls back, nests and runs callbacks", async () => {
    const log: string[] = [];
    const result = await ActiveRecord.transaction(async (tx) => {
      const Bound = Account.using(tx);
      const ann = await Bound.create({ owner: "ann" });
      expect(ann).toBeInstanceOf(Account);
      ann.balance = 5;
      await ann.save();
      await tx.afterCommit(() => log.push("committed"));
      await Account.using(tx)
        .transaction(async (inner) => {
          await Account.using(inner).create({ owner: "undone" });
          expect(await Account.using(inner).count()).toBe(2);
          throw new Error("inner");
        })
        .catch(() => undefined);
      await Account.using(tx).insertMany([{ owner: "b1" }, { owner: "b2" }]);
      return Bound.count();
    });
    expect(result).toBe(3);
    expect(log).toEqual(["committed"]);
    expect(await Account.orderBy("id").pluck("owner")).toEqual(["ann", "b1", "b2"]);
    expect((await Account.findBy({ owner: "ann" }))?.balance).toBe(5);

    await expect(
      ActiveRecord.transaction(async (tx) => {
        await Account.using(tx).create({ owner: "rolled back" });
        throw new Error("undo");
      }),
    ).rejects.toThrow("undo");
    expect(await Account.count()).toBe(3);
  });

  it("insertMany needing several statements still runs in one transaction", async () => {
    // 32766 parameters per statement / 3 columns (id set too): 10922 rows per statement, so two statements here.
    const rows = Array.from({ length: 11_000 }, (_, i) => ({ id: i + 1, owner: `o${i}`, balance: i }));
    expect(await Account.insertMany(rows, { returning: false })).toBe(11_000);
  });

  it("afterCommit outside any transaction runs at once", async () => {
    let ran = false;
    await afterCommit(() => (ran = true));
    expect(ran).toBe(true);
  });
});
