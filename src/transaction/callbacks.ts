/**
 * afterCommit / afterRollback bookkeeping. Callbacks wait in the scope that
 * registered them and travel up as savepoints end, so that they run once, after
 * the outermost transaction has ended:
 *
 * - a released savepoint hands all its callbacks to its parent;
 * - a savepoint rolled back drops its afterCommit callbacks (that work will
 *   never be committed) and marks its afterRollback callbacks as due: they run
 *   when the outermost transaction ends, whatever its outcome, because the work
 *   they guard was discarded either way. They are not run at the savepoint
 *   itself: the connection is still held by the transaction there, and a
 *   callback that queried the database would wait on it (embedded libSQL) or
 *   see uncommitted state.
 *
 * The outcome of the transaction is final before any callback runs, so a
 * failing callback cannot change it: every callback runs, in registration
 * order, and each error goes to the handler set with `onCallbackError`
 * (default: `console.error`), never to the caller of `transaction()`: a caller
 * that saw a rejection would assume the transaction failed and might retry
 * work that is already committed.
 */
import { ArgumentError } from "../errors.ts";

/** How a transaction ended. */
export type Outcome = "commit" | "rollback";
/** A function run after a transaction commits or rolls back. */
export type TransactionCallback = () => unknown;

interface Pending {
  readonly phase: Outcome;
  readonly fn: TransactionCallback;
  /** Its work was rolled back with a savepoint: due whatever the outermost outcome. */
  due: boolean;
}

/** Receives an error thrown by an after-commit or after-rollback callback. */
export type CallbackErrorHandler = (error: unknown, phase: Outcome) => void;

const defaultHandler: CallbackErrorHandler = (error, phase) => {
  console.error(`EdgeRecord: an ${phase === "commit" ? "afterCommit" : "afterRollback"} callback failed`, error);
};
let handler: CallbackErrorHandler = defaultHandler;

/**
 * Sets what happens to an error thrown by an afterCommit/afterRollback
 * callback (default: `console.error`). Returns a function restoring the previous handler.
 */
export function onCallbackError(next: CallbackErrorHandler): () => void {
  const previous = handler;
  handler = next;
  return () => {
    handler = previous;
  };
}

export class CallbackQueue {
  private readonly pending: Pending[] = [];

  add(phase: Outcome, fn: TransactionCallback): void {
    if (typeof fn !== "function") throw new ArgumentError(`after${phase === "commit" ? "Commit" : "Rollback"}() takes a function`);
    this.pending.push({ phase, fn, due: false });
  }

  /** A savepoint ended: hand its callbacks to the enclosing scope's queue. */
  handOver(parent: CallbackQueue, outcome: Outcome): void {
    for (const entry of this.pending.splice(0)) {
      if (outcome === "commit") parent.pending.push(entry);
      else if (entry.phase === "rollback") parent.pending.push({ ...entry, due: true });
    }
  }

  /** The outermost transaction ended: run what is due, in registration order, errors to the handler. */
  async run(outcome: Outcome): Promise<void> {
    for (const entry of this.pending.splice(0)) {
      if (entry.phase !== outcome && !(entry.phase === "rollback" && entry.due)) continue;
      await invoke(entry.fn, entry.phase);
    }
  }
}

/** Runs one callback now (used outside any transaction, where the work is already durable). */
export async function invoke(fn: TransactionCallback, phase: Outcome): Promise<void> {
  try {
    await fn();
  } catch (error) {
    try {
      handler(error, phase);
    } catch {
      // A throwing handler must not turn a committed transaction into a rejection either.
    }
  }
}
