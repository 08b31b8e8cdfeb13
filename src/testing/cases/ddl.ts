/** Schema from model metadata: createTable, tableExists, indexes, dropTable. */
import { IntegrityError } from "../../errors.ts";
import { equal, ok, rejects } from "../assert.ts";
import type { CaseGroup } from "../harness.ts";

class Rollback extends Error {}

export const ddlCases: CaseGroup = (ctx) => {
  ctx.describe("DDL from model metadata", () => {
    ctx.it("createTable, tableExists, createIndex and dropTable", async () => {
      const { Ledger } = ctx.models;
      ctx.track(Ledger.metadata.table);
      equal(await Ledger.tableExists(), false, "tableExists() before createTable()");
      await Ledger.createTable();
      equal(await Ledger.tableExists(), true, "tableExists() after createTable()");
      await Ledger.createTable({ ifNotExists: true });

      // Defaults from the DDL and a bigint auto-increment key.
      const entry = await Ledger.create({ account: "acme", day: new Date("2024-01-31T00:00:00Z") });
      equal(typeof entry.id, "bigint", "a bigint auto-increment key");
      const found = await Ledger.find(entry.id);
      ok(found, "the entry is found by its bigint key");
      equal(found.amount, "0.00", "the constant default");
      ok(found.createdAt instanceof Date && !Number.isNaN(found.createdAt.getTime()), "the 'now' default is a Date");

      // The model's unique composite index is enforced.
      await rejects(Ledger.create({ account: "acme", day: new Date("2024-01-31T00:00:00Z") }), IntegrityError, "a duplicate (account, day)");
      const name = await Ledger.createIndex(["amount"], { name: `${ctx.prefix}_ledger_amount_idx` });
      equal(name, `${ctx.prefix}_ledger_amount_idx`, "createIndex() returns the index name");
      await Ledger.createIndex(["amount"], { name, ifNotExists: true });
      await Ledger.dropIndex(name);
      await Ledger.dropIndex(name, { ifExists: true });

      await Ledger.dropTable();
      equal(await Ledger.tableExists(), false, "tableExists() after dropTable()");
      await Ledger.dropTable({ ifExists: true });
    });

    ctx.it("DDL in a transaction rolls back (when capabilities.transactionalDdl and interactiveTransactions)", async () => {
      const { transactionalDdl, interactiveTransactions } = ctx.backend.dialect.capabilities;
      if (!transactionalDdl || !interactiveTransactions) return;
      const { Ledger } = ctx.models;
      await Ledger.transaction(async () => {
        await Ledger.createTable();
        equal(await Ledger.tableExists(), true, "tableExists() inside the transaction");
        throw new Error("roll back");
      }).catch((error: Error) => {
        if (error.message !== "roll back") throw error;
      });
      equal(await Ledger.tableExists(), false, "tableExists() after rollback");
    });

    ctx.it("DDL in a batch transaction is undone with the batch (when capabilities.transactionalDdl, without interactiveTransactions)", async () => {
      const { transactionalDdl, interactiveTransactions } = ctx.backend.dialect.capabilities;
      if (!transactionalDdl || interactiveTransactions) return;
      const { Ledger, Owner } = ctx.models;
      ctx.track(Ledger.metadata.table);
      // Thrown before the scope ends: the queued CREATE TABLE is never sent.
      await rejects(
        Ledger.transaction(async () => {
          await Ledger.createTable();
          throw new Rollback("roll back");
        }),
        Rollback,
        "the scope's error",
      );
      equal(await Ledger.tableExists(), false, "tableExists() after a scope that threw");
      // A later statement of the batch fails: the CREATE TABLE already ran in it and is undone with it.
      const taken = await Owner.create({ email: "ddl-batch@ddl.test", name: "taken" });
      await rejects(
        Ledger.transaction(async () => {
          await Ledger.createTable();
          await Owner.insertMany([{ email: taken.email, name: "duplicate" }], { returning: false });
        }),
        IntegrityError,
        "a batch whose last statement fails",
      );
      equal(await Ledger.tableExists(), false, "tableExists() after the failed batch");
      await Ledger.transaction(() => Ledger.createTable());
      equal(await Ledger.tableExists(), true, "tableExists() after a committed batch");
      await Ledger.dropTable();
    });
  });
};
