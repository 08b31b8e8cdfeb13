/**
 * What happens to a level's bookkeeping when it ends: the records it wrote
 * (restored in memory on rollback, handed to the parent on release) and its
 * afterCommit/afterRollback callbacks (run at the outermost end, or handed up).
 */
import type { Outcome } from "./callbacks.ts";
import type { TransactionHandle } from "./handle.ts";

/** This level's work was rolled back: its records get back the state they had before it wrote them. */
export function restoreWritten(handle: TransactionHandle): void {
  for (const restore of handle.written.values()) restore();
  handle.written.clear();
}

/**
 * A savepoint was released: its records now stand or fall with the enclosing
 * level, which keeps its own (earlier) snapshot of a record it wrote too. A
 * pinned test transaction stands in for autocommit: nothing is kept there.
 */
export function handOverWritten(handle: TransactionHandle): void {
  const parent = handle.parent!;
  if (parent.kind !== "pinned") {
    for (const [record, restore] of handle.written) if (!parent.written.has(record)) parent.written.set(record, restore);
  }
  handle.written.clear();
}

/** A savepoint ended: its callbacks go up a level, or run now if it stands for the outermost transaction. */
export function settle(handle: TransactionHandle, outcome: Outcome): Promise<void> {
  if (handle.runsCallbacks) return handle.callbacks.run(outcome);
  handle.callbacks.handOver(handle.parent!.callbacks, outcome);
  return Promise.resolve();
}

/**
 * The level where a write should remember how to undo itself in memory, if
 * any: outside a transaction a write is final, and a pinned test transaction
 * stands in for autocommit.
 */
export function rollbackLevel(handle: TransactionHandle | undefined): TransactionHandle | undefined {
  return handle && handle.kind !== "pinned" ? handle : undefined;
}
