import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ActiveRecord, column, inTransaction, table, TransactionError } from "../../src/index.ts";
import { LibsqlBackend } from "../../src/backend/libsql/index.ts";
import { decoratorMode } from "../support/mode.ts";
import { Account, freshBackend } from "./support.ts";

@table("notes")
class Note extends ActiveRecord {
  @column.id() id!: number;
  @column.text() body!: string;
}

for (const kind of ["memory", "file"] as const) {
  describe(`ambient transactions on libSQL ${kind} (${decoratorMode})`, () => {
    let db: Awaited<ReturnType<typeof freshBackend>>;

    beforeEach(async () => {
      db = await freshBackend(kind);
      ActiveRecord.configure(db.backend);
      await Account.createTable();
    });
    afterEach(() => db.cleanup());

    const owners = async () => (await Account.orderBy("id").pluck("owner")).join(",");

    it("commits and returns the callback's result", async () => {
      const result = await ActiveRecord.transaction(async () => {
        await Account.create({ owner: "ann" });
        expect(inTransaction(db.backend)).toBe(true);
        return 42;
      });
      expect(result).toBe(42);
      expect(inTransaction(db.backend)).toBe(false);
      expect(await owners()).toBe("ann");
    });

    it("works as a static of a model too", async () => {
      await Account.transaction(async () => {
        await Account.create({ owner: "bob" });
      });
      expect(await owners()).toBe("bob");
    });

    it("rolls back on a thrown error and rethrows it unchanged", async () => {
      const boom = new Error("boom");
      const caught = await ActiveRecord.transaction(async () => {
        await Account.create({ owner: "ann" });
        expect(await Account.count()).toBe(1);
        throw boom;
      }).catch((e: unknown) => e);
      expect(caught).toBe(boom);
      expect(await Account.count()).toBe(0);
    });

    it("rolls back only the inner part when the outer callback catches a nested failure", async () => {
      await ActiveRecord.transaction(async () => {
        await Account.create({ owner: "a" });
        await expect(
          ActiveRecord.transaction(async () => {
            await Account.create({ owner: "b" });
            throw new Error("inner");
          }),
        ).rejects.toThrow("inner");
        await Account.create({ owner: "c" });
      });
      expect(await owners()).toBe("a,c");
    });

    it("rolls back everything when a nested failure is not caught", async () => {
      await expect(
        ActiveRecord.transaction(async () => {
          await Account.create({ owner: "a" });
          await ActiveRecord.transaction(async () => {
            await Account.create({ owner: "b" });
          });
          await ActiveRecord.transaction(async () => {
            throw new Error("late");
          });
        }),
      ).rejects.toThrow("late");
      expect(await owners()).toBe("");
    });

    it("nests three levels deep with savepoints", async () => {
      await ActiveRecord.transaction(async () => {
        await Account.create({ owner: "1" });
        await ActiveRecord.transaction(async () => {
          await Account.create({ owner: "2" });
          await ActiveRecord.transaction(async () => {
            await Account.create({ owner: "3" });
            throw new Error("deepest");
          }).catch(() => undefined);
          await Account.create({ owner: "2b" });
        });
      });
      expect(await owners()).toBe("1,2,2b");
    });

    it("refuses isolation levels and read-only transactions the dialect cannot honour, before taking the connection", async () => {
      expect(db.backend.dialect.capabilities.isolationLevels).toEqual(["serializable"]);
      await expect(ActiveRecord.transaction(async () => 1, { isolation: "read committed" })).rejects.toThrow(TransactionError);
      await expect(ActiveRecord.transaction(async () => 1, { isolation: "read committed" })).rejects.toThrow(/read committed/);
      await expect(ActiveRecord.transaction(async () => 1, { readOnly: true })).rejects.toThrow(/read-only/);
      // Nothing was left holding the single connection.
      expect(await ActiveRecord.transaction(async () => Account.count(), { isolation: "serializable" })).toBe(0);
    });

    it("refuses isolation or readOnly on a nested transaction", async () => {
      await ActiveRecord.transaction(async () => {
        await expect(ActiveRecord.transaction(async () => 1, { isolation: "serializable" })).rejects.toThrow(/nested/);
      });
    });

    it("runs concurrent nested transactions of one scope one after another instead of interleaving savepoints", async () => {
      const log: string[] = [];
      await ActiveRecord.transaction(async () => {
        let release!: () => void;
        const first = ActiveRecord.transaction(async () => {
          await Account.create({ owner: "first" });
          await new Promise<void>((resolve) => (release = resolve));
          log.push("first ends");
        });
        await Promise.resolve();
        await new Promise((r) => setTimeout(r, 0));
        const second = ActiveRecord.transaction(async () => {
          log.push("second starts");
          return Account.create({ owner: "second" });
        });
        await new Promise((r) => setTimeout(r, 0));
        release();
        await Promise.all([first, second]);
      });
      expect(log).toEqual(["first ends", "second starts"]);
      expect(await owners()).toBe("first,second");
    });

    it("refuses queries from a promise that outlived its transaction", async () => {
      let leaked: Promise<unknown> | undefined;
      let go!: () => void;
      await ActiveRecord.transaction(async () => {
        leaked = new Promise<void>((resolve) => (go = resolve)).then(() => Account.create({ owner: "late" }));
      });
      go();
      await expect(leaked).rejects.toThrow(/already ended/);
      expect(await Account.count()).toBe(0);
    });

    it("keeps a model on another backend out of the transaction", async () => {
      const other = new LibsqlBackend({ url: ":memory:" });
      Note.configure(other);
      await Note.createTable();
      await expect(
        ActiveRecord.transaction(async () => {
          await Account.create({ owner: "rolled back" });
          await Note.create({ body: "autocommitted on the other database" });
          expect(inTransaction(other)).toBe(false);
          throw new Error("undo");
        }),
      ).rejects.toThrow("undo");
      expect(await Account.count()).toBe(0);
      expect(await Note.count()).toBe(1);
      await other.disconnect();
    });

    it("runs insertMany's own transaction as a savepoint inside a scope", async () => {
      await expect(
        ActiveRecord.transaction(async () => {
          await Account.insertMany([{ owner: "x" }, { owner: "y" }]);
          expect(await Account.count()).toBe(2);
          throw new Error("undo");
        }),
      ).rejects.toThrow("undo");
      expect(await Account.count()).toBe(0);
    });
  });
}
