/**
 * What every runtime must observe when it runs ./scenario.ts. One table for
 * all of them, so a runtime that differs in any value fails, naming the value.
 */
import { expect } from "vitest";

export interface Expectation {
  runtime: string;
  /** The mode the scenario was compiled in; the scenario reports the mode the decorators actually saw. */
  decorators: "tc39" | "legacy";
  /** "nested" with interactive transactions (and savepoints), "batch" where a transaction is one atomic batch (D1). */
  transactions: "nested" | "batch";
}

const nested = {
  kind: "nested",
  innerError: "inner fails",
  outerError: "outer fails",
  kept: ["outer@example.com"],
  rolledBack: 0,
};

const transactionError = (pattern: RegExp) => ({ name: "TransactionError", code: "TRANSACTION", message: expect.stringMatching(pattern) });

const batch = {
  kind: "batch",
  // ordered by email: al@, ann@ — the committed batch set both, the failed one neither.
  committed: [20, 10],
  batchError: "IntegrityError",
  nested: transactionError(/cannot be nested/),
  read: transactionError(/cannot read inside a transaction/),
  isolation: transactionError(/isolation level/),
};

export function expectedReport({ runtime, decorators, transactions }: Expectation): unknown {
  return {
    runtime,
    decorators,
    crud: {
      firstId: 1,
      foundIsAuthor: true,
      createdAtIsDate: true,
      active: true,
      dirtyBeforeSave: true,
      dirtyAfterSave: false,
      reloadedName: "Annie",
      noteTags: ["a", "b"],
      deleted: true,
      missing: null,
      remaining: 2,
    },
    query: {
      likeAndGte: ["al@example.com", "ann@example.com"],
      inList: ["al@example.com", "bo@example.com"],
      between: 2,
      isNull: ["bo@example.com"],
      or: [3, 7],
      sumPosts: 15,
    },
    transaction: transactions === "nested" ? nested : batch,
    validation: { thrown: true, isValidationError: true, fields: ["email"], code: "VALIDATION", nothingInserted: true },
  };
}
