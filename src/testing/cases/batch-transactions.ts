/**
 * Transactions on a backend without `capabilities.interactiveTransactions`
 * (D1): a scope queues its writes and sends them as one atomic batch when it
 * ends. The interactive cases in ./transactions.ts read inside the scope, so
 * they are gated off there; these check the promises such a backend does
 * keep, so that gating does not leave it untested:
 *
 * - the scope's writes apply together at the end, or not at all;
 * - a queued write's count is unknown (NaN) until commit, then filled in;
 * - a read or RETURNING inside the scope is a TransactionError, at once;
 * - a failure of any statement at commit undoes the whole batch, mapped once;
 * - two scopes open at the same time keep their queues apart.
 */
import { IntegrityError, TransactionError } from "../../errors.ts";
import { equal, ok, rejects } from "../assert.ts";
import type { CaseGroup } from "../harness.ts";

class Rollback extends Error {}

export const batchTransactionCases: CaseGroup = (ctx) => {
  ctx.describe("transactions as one batch (without capabilities.interactiveTransactions)", () => {
    let n = 0;
    const owner = (tag: string) => ({ email: `${tag}-${++n}@batch.test`, name: tag });
    const count = (tag: string) => ctx.models.Owner.count({ name: tag });
    // insertMany without returning reads nothing back: the one model insert a batch can queue.
    const queueInsert = (...tags: string[]) => ctx.models.Owner.insertMany(tags.map(owner), { returning: false });
    const batched = () => !ctx.backend.dialect.capabilities.interactiveTransactions;

    ctx.it("commits the scope's writes together, in order, and fills in their counts", async () => {
      if (!batched()) return;
      const { Owner } = ctx.models;
      await queueInsert("batch-commit", "batch-commit", "batch-drop");
      const q = ctx.backend.dialect.quoteIdentifier;
      let update: { affectedRows: number } | undefined;
      const result = await Owner.transaction(async () => {
        update = await Owner.execute(`UPDATE ${q(Owner.metadata.table)} SET ${q("age")} = ? WHERE ${q("name")} = ?`, [7, "batch-commit"]);
        // The count exists only once the batch has run: a number here would be a guess.
        ok(Number.isNaN(update.affectedRows), `a queued write's affectedRows before commit is NaN (got ${update.affectedRows})`);
        await queueInsert("batch-commit");
        await Owner.deleteWhere({ name: "batch-drop" });
        return "done";
      });
      equal(result, "done", "transaction() returns the work's result");
      equal(update?.affectedRows, 2, "the queued UPDATE's count, filled in at commit");
      equal(await count("batch-commit"), 3, "rows after commit");
      // In order: the UPDATE ran before the INSERT queued after it, so the new row kept no age.
      equal(await Owner.count({ name: "batch-commit", age: 7 }), 2, "rows the UPDATE reached");
      equal(await count("batch-drop"), 0, "rows the DELETE removed");
    });

    ctx.it("sends nothing when the work throws, and rethrows", async () => {
      if (!batched()) return;
      const { Owner } = ctx.models;
      const kept = await Owner.create(owner("batch-kept"));
      await rejects(
        Owner.transaction(async () => {
          await queueInsert("batch-thrown");
          await Owner.deleteWhere({ id: kept.id });
          throw new Rollback("stop");
        }),
        Rollback,
        "the work's error",
      );
      equal(await count("batch-thrown"), 0, "queued inserts after the scope threw");
      ok(await Owner.find(kept.id), "the row a queued DELETE named is still there");
    });

    ctx.it("refuses a read or RETURNING inside the scope with a TransactionError, and sends none of it", async () => {
      if (!batched()) return;
      const { Owner } = ctx.models;
      await rejects(
        Owner.transaction(async () => {
          await queueInsert("batch-read");
          await Owner.count();
        }),
        TransactionError,
        "a read inside a batch transaction",
      );
      await rejects(Owner.transaction(() => Owner.create(owner("batch-read"))), TransactionError, "create() (it reads its row back) inside");
      await rejects(Owner.transaction(() => Owner.insertMany([owner("batch-read")])), TransactionError, "insertMany returning records inside");
      equal(await count("batch-read"), 0, "rows after the refused scopes");
    });

    ctx.it("a statement failing at commit undoes the whole batch, with the error mapped", async () => {
      if (!batched()) return;
      const { Owner } = ctx.models;
      const taken = await Owner.create(owner("batch-taken"));
      const error = await rejects(
        Owner.transaction(async () => {
          await queueInsert("batch-undone");
          await Owner.updateWhere({ id: taken.id }, { age: 99 });
          await Owner.insertMany([{ email: taken.email, name: "batch-undone" }], { returning: false });
        }),
        IntegrityError,
        "a batch whose last statement is a duplicate",
      );
      equal(error.kind, "unique", "IntegrityError.kind");
      ok(typeof error.sql === "string" && error.sql.length > 0, "the batch's statements are attached as sql");
      equal(await count("batch-undone"), 0, "the batch's inserts after the failure");
      equal((await Owner.findOrFail(taken.id)).age, null, "the batch's update after the failure");
    });

    ctx.it("a bulk insert too large for one statement joins the scope's batch, all or nothing", async () => {
      if (!batched()) return;
      const { Owner } = ctx.models;
      // At least two parameters a row, so this many rows takes several statements (and no savepoint is there to wrap them).
      const size = Math.min(50_000, Math.floor(ctx.backend.dialect.capabilities.maxParameters / 2) + 10);
      const rows = (tag: string) => Array.from({ length: size }, () => owner(tag));
      await Owner.transaction(() => Owner.insertMany(rows("batch-split"), { returning: false }));
      equal(await count("batch-split"), size, "rows of a split insert committed with the scope");
      const failing = rows("batch-split-failed");
      failing[size - 1] = { email: failing[0]!.email, name: "batch-split-failed" };
      await rejects(Owner.transaction(() => Owner.insertMany(failing, { returning: false })), IntegrityError, "a split insert with a duplicate in its last statement");
      equal(await count("batch-split-failed"), 0, "rows of the failed split insert");
    });

    ctx.it("two scopes open at the same time keep their queues apart", async () => {
      if (!batched()) return;
      const { Owner } = ctx.models;
      // Scope a holds a queued write until b has queued and committed its own: b's batch must not carry a's write,
      // nor a's rollback drop b's. (Released however b ends, so a failing b cannot leave a waiting.)
      let release!: () => void;
      const bSettled = new Promise<void>((resolve) => (release = resolve));
      const a = Owner.transaction(async () => {
        await queueInsert("batch-scope-a");
        await bSettled;
        throw new Rollback("a");
      });
      const b = Owner.transaction(() => queueInsert("batch-scope-b", "batch-scope-b"));
      b.then(release, release);
      await Promise.all([rejects(a, Rollback, "scope a's error"), b]);
      equal(await count("batch-scope-a"), 0, "the thrown scope's rows");
      equal(await count("batch-scope-b"), 2, "the committed scope's rows");
    });
  });
};
