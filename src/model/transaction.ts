/**
 * Transactions as ambient scopes: inside `ActiveRecord.transaction(fn)` every
 * query on that backend runs in the transaction with no handle passed around;
 * a nested call is a savepoint. The scope is per backend, so a model bound to
 * another database is not pulled in.
 *
 * The callback also receives the transaction as a handle (`tx`). Where
 * AsyncLocalStorage is missing (a Worker without `nodejs_als`), a callback
 * that declares that parameter runs in explicit mode: queries join the
 * transaction through `Model.using(tx)`; one that does not declare it cannot
 * work there and gets an error naming the flags.
 */
import type { Backend, Executor, TransactionOptions } from "../backend/backend.ts";
import { ConfigurationError, TransactionError } from "../errors.ts";
import { invoke, type TransactionCallback } from "../transaction/callbacks.ts";
import { isTransactionHandle, TransactionHandle } from "../transaction/handle.ts";
import { withRetry, type RetryOptions } from "../transaction/retry.ts";
import { currentScope, INNERMOST, loadScopeStorage, runInScope, SCOPE_FLAGS_HINT } from "../transaction/scope.ts";

export interface TransactionScopeOptions extends TransactionOptions {
  /** Run the whole transaction again on a SerializationError (outermost transactions only). */
  readonly retry?: RetryOptions;
}

export type TransactionWork<R> = (tx: TransactionHandle) => Promise<R>;

/** The executor for `backend` here: a handle itself, else the scope's transaction, else the backend (autocommit). */
export function executorFor(backend: Backend): Executor {
  if (isTransactionHandle(backend)) return backend;
  return currentScope<Backend, TransactionHandle>(backend) ?? backend;
}

/** Whether a transaction on `backend` (a pinned test transaction included) is open in this async context. */
export function inTransaction(backend: Backend): boolean {
  if (isTransactionHandle(backend)) return backend.isOpen;
  return currentScope<Backend, TransactionHandle>(backend)?.isOpen ?? false;
}

export async function runTransaction<R>(backend: Backend, work: TransactionWork<R>, options: TransactionScopeOptions = {}): Promise<R> {
  const { retry, ...txOptions } = options;
  if (retry) {
    if (isTransactionHandle(backend) && backend.kind !== "pinned") {
      throw new TransactionError("retry cannot run inside an open transaction: retry the outermost transaction instead");
    }
    return withRetry(() => runTransaction(backend, work, txOptions), retry);
  }
  if (isTransactionHandle(backend)) return runSavepoint(backend, work, txOptions, false);
  const ambient = await loadScopeStorage();
  if (!ambient && work.length === 0) {
    throw new ConfigurationError(`cannot start an ambient transaction scope: ${SCOPE_FLAGS_HINT}`);
  }
  const parent = currentScope<Backend, TransactionHandle>(backend);
  if (parent) return runSavepoint(parent, work, txOptions, ambient);
  return runOutermost(backend, work, txOptions, ambient);
}

function enter<R>(handle: TransactionHandle, work: TransactionWork<R>, ambient: boolean): Promise<R> {
  return ambient ? runInScope(handle.root, handle, () => work(handle)) : work(handle);
}

async function runOutermost<R>(backend: Backend, work: TransactionWork<R>, options: TransactionOptions, ambient: boolean): Promise<R> {
  const tx = await backend.transactions.begin(options);
  const handle = new TransactionHandle(backend, tx, "outermost");
  let result: R;
  try {
    result = await enter(handle, work, ambient);
  } catch (error) {
    handle.end();
    // The caller's error is what matters; a failed rollback is attached, not thrown instead.
    if (tx.isOpen) await tx.rollback().catch((rollbackError: unknown) => attachRollbackFailure(error, rollbackError));
    restoreWritten(handle);
    await handle.callbacks.run("rollback");
    throw error;
  }
  handle.end();
  try {
    await tx.commit();
  } catch (error) {
    // A COMMIT that fails leaves nothing committed (backends roll back what is left); one whose
    // outcome is unknown is treated the same way here, and says so in its error.
    restoreWritten(handle);
    await handle.callbacks.run("rollback");
    throw error;
  }
  handle.written.clear();
  await handle.callbacks.run("commit");
  return result;
}

async function runSavepoint<R>(parent: TransactionHandle, work: TransactionWork<R>, options: TransactionOptions, ambient: boolean): Promise<R> {
  if (!parent.isOpen) {
    throw new TransactionError("cannot nest a transaction in one that has already ended (a promise not awaited inside transaction()?)");
  }
  if (!parent.dialect.capabilities.savepoints) {
    throw new TransactionError(`${parent.dialect.name} has no savepoints, so transactions cannot be nested`);
  }
  if (options.isolation || options.readOnly || options.timeout !== undefined) {
    throw new TransactionError("a nested transaction runs in its outer transaction: it cannot set isolation, readOnly or timeout");
  }
  // Siblings started together (Promise.all of nested transactions or of hooked saves) take turns on the
  // scope: two savepoints open side by side on one connection would nest into each other. The turn is
  // claimed synchronously, so no two siblings can both pass before either has run SAVEPOINT.
  if (parent.activeChild && isWithin(currentScope<Backend, TransactionHandle>(parent.root), parent.activeChild)) {
    throw new TransactionError(
      "a nested transaction was started on a scope from inside another nested transaction of that same scope: it would wait for itself; nest it in the inner one instead",
    );
  }
  const release = await parent.children.acquire();
  try {
    return await runSavepointInTurn(parent, work, ambient);
  } finally {
    release();
  }
}

/** Whether `handle` is `ancestor` or lies inside it. */
function isWithin(handle: TransactionHandle | undefined, ancestor: TransactionHandle): boolean {
  for (let h = handle; h; h = h.parent) if (h === ancestor) return true;
  return false;
}

async function runSavepointInTurn<R>(parent: TransactionHandle, work: TransactionWork<R>, ambient: boolean): Promise<R> {
  if (!parent.isOpen) {
    throw new TransactionError("cannot nest a transaction in one that has already ended (a promise not awaited inside transaction()?)");
  }
  const { tx } = parent;
  const name = parent.nextSavepointName();
  await tx.savepoint(name);
  const handle = new TransactionHandle(parent.root, tx, "savepoint", parent, name);
  parent.activeChild = handle;
  let result: R;
  try {
    result = await enter(handle, work, ambient);
  } catch (error) {
    handle.end();
    if (tx.isOpen) {
      await tx
        .rollbackToSavepoint(name)
        .then(() => tx.releaseSavepoint(name))
        .catch((rollbackError: unknown) => attachRollbackFailure(error, rollbackError));
    }
    restoreWritten(handle);
    await settle(handle, "rollback");
    throw error;
  } finally {
    parent.activeChild = undefined;
  }
  handle.end();
  try {
    await tx.releaseSavepoint(name);
  } catch (error) {
    restoreWritten(handle);
    await settle(handle, "rollback");
    throw error;
  }
  handOverWritten(handle);
  await settle(handle, "commit");
  return result;
}

/** This level's work was rolled back: its records get back the state they had before it wrote them. */
function restoreWritten(handle: TransactionHandle): void {
  for (const restore of handle.written.values()) restore();
  handle.written.clear();
}

/**
 * A savepoint was released: its records now stand or fall with the enclosing
 * level, which keeps its own (earlier) snapshot of a record it wrote too. A
 * pinned test transaction stands in for autocommit: nothing is kept there.
 */
function handOverWritten(handle: TransactionHandle): void {
  const parent = handle.parent!;
  if (parent.kind !== "pinned") {
    for (const [record, restore] of handle.written) if (!parent.written.has(record)) parent.written.set(record, restore);
  }
  handle.written.clear();
}

/** A savepoint ended: its callbacks go up a level, or run now if it stands for the outermost transaction. */
function settle(handle: TransactionHandle, outcome: "commit" | "rollback"): Promise<void> {
  if (handle.runsCallbacks) return handle.callbacks.run(outcome);
  handle.callbacks.handOver(handle.parent!.callbacks, outcome);
  return Promise.resolve();
}

function attachRollbackFailure(error: unknown, rollbackError: unknown): void {
  if (error && typeof error === "object" && !("rollbackError" in error)) {
    Object.defineProperty(error, "rollbackError", { value: rollbackError, enumerable: false });
  }
}

/** The scope callbacks attach to: `backend`'s (when given) or the innermost one of this context. */
function scopeFor(backend?: Backend): TransactionHandle | undefined {
  if (backend && isTransactionHandle(backend)) return backend;
  const handle = backend ? currentScope<Backend, TransactionHandle>(backend) : currentScope<symbol, TransactionHandle>(INNERMOST);
  return handle?.isOpen ? handle : undefined;
}

/**
 * Runs `fn` once, after the outermost transaction of the current scope (or of
 * `backend`'s scope) commits. Outside a transaction the work is already
 * durable, so `fn` runs at once; the promise settles when it has been
 * registered (or has run). Errors in `fn` go to `onCallbackError`.
 */
export function afterCommit(fn: TransactionCallback, backend?: Backend): Promise<void> {
  const scope = scopeFor(backend);
  return scope ? scope.afterCommit(fn) : invoke(fn, "commit");
}

/**
 * Runs `fn` once, after the outermost transaction ends, if the work of the
 * current scope was rolled back (the whole transaction, or just the savepoint
 * it was registered in). Outside a transaction nothing can roll back: no-op.
 */
export function afterRollback(fn: TransactionCallback, backend?: Backend): Promise<void> {
  const scope = scopeFor(backend);
  return scope ? scope.afterRollback(fn) : Promise.resolve();
}
