/**
 * Example: each test runs inside a checkpoint rolled back after it, so tests
 * never see each other's rows, and the file's data is gone when it ends.
 * (docs/transactions.md shows the same file with package imports.)
 */
import { beforeAll, describe, expect, it } from "vitest";
import { ActiveRecord } from "../../src/index.ts";
import { LibsqlBackend } from "../../src/backend/libsql/index.ts";
import { useTransactionalTests } from "../../src/testing/vitest.ts";
import { decoratorMode } from "../support/mode.ts";
import { Account } from "./support.ts";

const backend = new LibsqlBackend({ url: ":memory:" });
beforeAll(() => {
  ActiveRecord.configure(backend);
});

useTransactionalTests(backend, {
  // Inside the file's transaction: undone after the last test.
  setup: async () => {
    await Account.createTable();
    await Account.create({ owner: "seed" });
  },
});

describe(`useTransactionalTests (${decoratorMode})`, () => {
  it("a test writes rows", async () => {
    await Account.create({ owner: "first test" });
    expect(await Account.count()).toBe(2);
  });

  it("the next test does not see them", async () => {
    expect(await Account.orderBy("id").pluck("owner")).toEqual(["seed"]);
  });

  it("code under test may use transactions, nested in the test's checkpoint", async () => {
    await expect(
      ActiveRecord.transaction(async () => {
        await Account.create({ owner: "rolled back" });
        throw new Error("no");
      }),
    ).rejects.toThrow("no");
    await ActiveRecord.transaction(async () => {
      await Account.create({ owner: "committed to the checkpoint" });
    });
    expect(await Account.count()).toBe(2);
  });

  it("and is undone again after it", async () => {
    expect(await Account.count()).toBe(1);
  });
});
