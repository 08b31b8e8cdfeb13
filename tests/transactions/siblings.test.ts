/**
 * Nested transactions started together inside one scope (Promise.all of
 * nested transactions, or of saves whose hooks open one) take turns on the
 * scope, on libSQL and PostgreSQL: each one's savepoint is opened only after
 * the previous sibling has ended, so one sibling's rollback never takes
 * another's work with it, whichever settles first.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ActiveRecord, column, table, TransactionError, type Backend } from "../../src/index.ts";
import { BACKENDS } from "../support/backends.ts";
import { decoratorMode } from "../support/mode.ts";
import { gate, yieldTurns } from "./support.ts";

@table("sib_rows")
class Row extends ActiveRecord {
  @column.id() id!: number;
  @column.text() owner!: string;
}

const fail = new Error("sibling fails");

describe.each(BACKENDS)(`sibling nested transactions on $name (${decoratorMode})`, (fixture) => {
  let backend: Backend;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ backend, close } = await fixture.open());
    Row.configure(backend);
    await Row.createTable();
  });
  afterEach(() => close());

  const owners = async () => (await Row.orderBy("owner").pluck("owner")).join(",");

  /** Two siblings started together; `failing` names the one that throws (and is caught). */
  async function race(failing: "first" | "second") {
    const log: string[] = [];
    await ActiveRecord.transaction(async () => {
      await Row.create({ owner: "outer" });
      const sibling = (name: "first" | "second") =>
        ActiveRecord.transaction(async () => {
          log.push(`${name} starts`);
          await Row.create({ owner: name });
          await yieldTurns(3);
          log.push(`${name} ends`);
          if (name === failing) throw fail;
        }).catch((error: unknown) => {
          if (error !== fail) throw error;
        });
      await Promise.all([sibling("first"), sibling("second")]);
    });
    return log;
  }

  it("the first settles (rolled back) before the second starts; the second's row is committed", async () => {
    const log = await race("first");
    expect(log).toEqual(["first starts", "first ends", "second starts", "second ends"]);
    expect(await owners()).toBe("outer,second");
  });

  it("the first commits, the second rolls back: only the second's row is gone", async () => {
    const log = await race("second");
    expect(log).toEqual(["first starts", "first ends", "second starts", "second ends"]);
    expect(await owners()).toBe("first,outer");
  });

  it("the later sibling settles first when the earlier one waits on it from outside: no deadlock, both ordered", async () => {
    const firstMayEnd = gate();
    const log: string[] = [];
    await ActiveRecord.transaction(async () => {
      const first = ActiveRecord.transaction(async () => {
        await Row.create({ owner: "first" });
        await firstMayEnd.promise;
        log.push("first ends");
      });
      const second = ActiveRecord.transaction(async () => {
        log.push("second starts");
        await Row.create({ owner: "second" });
        throw fail;
      }).catch(() => log.push("second rolled back"));
      await yieldTurns(5);
      firstMayEnd.open();
      await Promise.all([first, second]);
    });
    expect(log).toEqual(["first ends", "second starts", "second rolled back"]);
    expect(await owners()).toBe("first");
  });

  it("many hooked saves at once inside a transaction all land", async () => {
    await ActiveRecord.transaction(async () => {
      await Promise.all(Array.from({ length: 10 }, (_, i) => ActiveRecord.transaction(async () => void (await Row.create({ owner: `r${i}` })))));
    });
    expect(await Row.count()).toBe(10);
  });

  it("a sibling started from inside another sibling of the same scope is refused instead of waiting for itself", async () => {
    await ActiveRecord.transaction(async (outer) => {
      await ActiveRecord.transaction(async () => {
        await expect(Row.using(outer).transaction(async () => 1)).rejects.toThrow(TransactionError);
      });
    });
  });
});
