/** Commit, rollback, nested savepoints, isolation and read-only options, scopes that do not leak. */
import { DatabaseError, TransactionError } from "../../errors.ts";
import { equal, ok, rejects } from "../assert.ts";
import type { CaseGroup } from "../harness.ts";
import type { IsolationLevel } from "../../dialect/dialect.ts";

const ALL_LEVELS: readonly IsolationLevel[] = ["read uncommitted", "read committed", "repeatable read", "serializable"];

class Rollback extends Error {}

export const transactionCases: CaseGroup = (ctx) => {
  ctx.describe("transactions", () => {
    let n = 0;
    const owner = (tag: string) => ({ email: `${tag}-${++n}@tx.test`, name: tag });
    const count = (tag: string) => ctx.models.Owner.count({ name: tag });

    // These read inside the scope (create() reads back its row): interactive transactions only.
    // cases/batch-transactions.ts checks the same promises on a backend whose transaction is a batch.
    ctx.it("commits (when capabilities.interactiveTransactions)", async () => {
      if (!ctx.backend.dialect.capabilities.interactiveTransactions) return;
      const { Owner } = ctx.models;
      const result = await Owner.transaction(async () => {
        await Owner.create(owner("commit"));
        await Owner.create(owner("commit"));
        return "done";
      });
      equal(result, "done", "transaction() returns the work's result");
      equal(await count("commit"), 2, "rows after commit");
    });

    ctx.it("rolls back when the work throws, and rethrows (when capabilities.interactiveTransactions)", async () => {
      if (!ctx.backend.dialect.capabilities.interactiveTransactions) return;
      const { Owner } = ctx.models;
      await rejects(
        Owner.transaction(async () => {
          await Owner.create(owner("rollback"));
          equal(await count("rollback"), 1, "the row is visible inside the transaction");
          throw new Rollback("stop");
        }),
        Rollback,
        "the work's error",
      );
      equal(await count("rollback"), 0, "rows after rollback");
    });

    ctx.it("nests with savepoints (when capabilities.savepoints)", async () => {
      if (!ctx.backend.dialect.capabilities.savepoints) return;
      const { Owner } = ctx.models;
      await Owner.transaction(async () => {
        await Owner.create(owner("outer"));
        await rejects(
          Owner.transaction(async () => {
            await Owner.create(owner("inner-rolled-back"));
            throw new Rollback("inner");
          }),
          Rollback,
          "the inner error",
        );
        await Owner.transaction(async () => {
          await Owner.create(owner("inner-kept"));
          await Owner.transaction(async () => {
            await Owner.create(owner("inner-kept"));
          });
        });
        equal(await count("inner-rolled-back"), 0, "the rolled-back savepoint's row, inside");
        equal(await count("inner-kept"), 2, "the released savepoints' rows, inside");
      });
      equal(await count("outer"), 1, "the outer row after commit");
      equal(await count("inner-rolled-back"), 0, "the rolled-back savepoint's row after commit");
      equal(await count("inner-kept"), 2, "the released savepoints' rows after commit");

      await rejects(
        Owner.transaction(async () => {
          await Owner.transaction(async () => Owner.create(owner("nested-lost")));
          throw new Rollback("outer");
        }),
        Rollback,
        "the outer error",
      );
      equal(await count("nested-lost"), 0, "a released savepoint's row after the outer rollback");
    });

    ctx.it("a failed statement inside a savepoint leaves the transaction usable", async () => {
      if (!ctx.backend.dialect.capabilities.savepoints) return;
      const { Owner } = ctx.models;
      const taken = owner("dup");
      await Owner.transaction(async () => {
        await Owner.create(taken);
        await rejects(Owner.transaction(() => Owner.create(taken)), DatabaseError, "a duplicate inside a savepoint");
        await Owner.create(owner("dup"));
      });
      equal(await count("dup"), 2, "rows after commit");
    });

    ctx.it("without capabilities.savepoints, a nested transaction is a TransactionError that undoes the outer one", async () => {
      if (ctx.backend.dialect.capabilities.savepoints) return;
      const { Owner } = ctx.models;
      // insertMany without returning reads nothing back, so it also runs where a transaction is a batch.
      await rejects(
        Owner.transaction(async () => {
          await Owner.insertMany([owner("unnested")], { returning: false });
          await Owner.transaction(() => Owner.insertMany([owner("unnested")], { returning: false }));
        }),
        TransactionError,
        "a nested transaction",
      );
      equal(await count("unnested"), 0, "rows of the outer transaction after the refused nesting");
    });

    ctx.it("runs at each isolation level it offers, and refuses the others", async () => {
      const { Owner } = ctx.models;
      const { isolationLevels: offered, interactiveTransactions: interactive } = ctx.backend.dialect.capabilities;
      // An interactive transaction always runs at some level; a batch applied serially may offer none to choose.
      if (interactive) ok(offered.length > 0, "capabilities.isolationLevels is not empty");
      for (const isolation of ALL_LEVELS) {
        // The work reads only where reads inside a transaction work; elsewhere it queues a write that matches nothing.
        const work = Owner.transaction(async () => (interactive ? Owner.count() : Owner.updateWhere({ name: "no such owner" }, { age: 1 })), { isolation });
        if (offered.includes(isolation)) equal(typeof (await work), "number", `a statement at ${isolation}`);
        else await rejects(work, TransactionError, `isolation ${isolation} (not offered)`);
      }
    });

    ctx.it("read-only transactions refuse writes (or are refused, without capabilities.readOnlyTransactions)", async () => {
      const { Owner } = ctx.models;
      if (!ctx.backend.dialect.capabilities.readOnlyTransactions) {
        await rejects(Owner.transaction(() => Owner.count(), { readOnly: true }), TransactionError, "readOnly without support");
        return;
      }
      equal(typeof (await Owner.transaction(() => Owner.count(), { readOnly: true })), "number", "a read in a read-only transaction");
      await rejects(Owner.transaction(() => Owner.create(owner("read-only")), { readOnly: true }), DatabaseError, "a write in a read-only transaction");
      equal(await count("read-only"), 0, "rows after the refused write");
    });

    ctx.it("two concurrent transaction scopes do not leak into each other (when capabilities.interactiveTransactions)", async () => {
      if (!ctx.backend.dialect.capabilities.interactiveTransactions) return;
      const { Owner } = ctx.models;
      const committed = Owner.transaction(async () => {
        await Owner.create(owner("scope-a"));
        await Owner.create(owner("scope-a"));
        return "a";
      });
      const rolledBack = Owner.transaction(async () => {
        await Owner.create(owner("scope-b"));
        throw new Rollback("b");
      }).catch((error: unknown) => {
        if (!(error instanceof Rollback)) throw error;
      });
      await Promise.all([committed, rolledBack]);
      equal(await count("scope-a"), 2, "the committed scope's rows");
      equal(await count("scope-b"), 0, "the rolled-back scope's rows");
    });

    ctx.it("a finished transaction refuses further work", async () => {
      // A write that matches nothing: it runs in every kind of transaction, batches included.
      const q = ctx.backend.dialect.quoteIdentifier;
      const noop = () => ctx.raw(`UPDATE ${q(ctx.models.Owner.metadata.table)} SET ${q("age")} = ? WHERE ${q("id")} = ?`, [1, -1]);
      const tx = await ctx.backend.transactions.begin();
      await tx.execute(noop());
      await tx.commit();
      equal(tx.isOpen, false, "isOpen after commit");
      await rejects(tx.execute(noop()), TransactionError, "execute after commit");
      await rejects(tx.rollback(), TransactionError, "rollback after commit");
      const again = await ctx.backend.transactions.begin();
      await again.rollback();
      await rejects(again.commit(), TransactionError, "commit after rollback");
    });

    ctx.it("a transaction from transactions.begin() runs statements and rolls them back", async () => {
      const { Owner } = ctx.models;
      const tx = await ctx.backend.transactions.begin();
      const insert = ctx.backend.dialect.compile({
        kind: "insert",
        table: Owner.metadata.table,
        columns: ["email", "name"],
        types: ["text", "text"],
        rows: [[`hidden-${Date.now()}@tx.test`, "hidden"]],
      });
      try {
        await tx.execute(insert);
      } finally {
        await tx.rollback();
      }
      equal(await count("hidden"), 0, "rows after rollback");
    });
  });
};
