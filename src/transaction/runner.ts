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
 *
 * This module drives the levels (BEGIN, SAVEPOINT, their ends, siblings taking
 * turns, callbacks, record state); the backend's `Transaction` runs the
 * statements on one connection.
 */
import type { Backend, TransactionOptions } from "../backend/backend.ts";
import { ConfigurationError, TransactionError } from "../errors.ts";
import { TransactionHandle } from "./handle.ts";
import { withRetry, type RetryOptions } from "./retry.ts";
import { currentScope, loadScopeStorage, runInScope, SCOPE_FLAGS_HINT } from "./scope.ts";
import { toSession, type Session } from "./session.ts";
import { handOverWritten, restoreWritten, settle } from "./levels.ts";
import { noteWrite } from "./request.ts";

/** Options of `transaction()`: isolation, read-only, time limit and retry. */
export interface TransactionScopeOptions extends TransactionOptions {
  /** Run the whole transaction again on a SerializationError (outermost transactions only). */
  readonly retry?: RetryOptions;
}

/** The work of a transaction; gets the handle, for runtimes without AsyncLocalStorage. */
export type TransactionWork<R> = (tx: TransactionHandle) => Promise<R>;

/** Whether a transaction on `target` (a pinned test transaction included) is open in this async context. */
export function inTransaction(target: Backend | Session): boolean {
  return toSession(target).transaction?.isOpen ?? false;
}

/**
 * Runs `work` in a transaction of `target`: a savepoint in a handle given
 * explicitly, a savepoint in the ambient scope of the backend when there is
 * one, else an outermost transaction entered as that backend's ambient scope.
 */
export async function runTransaction<R>(target: Backend | Session, work: TransactionWork<R>, options: TransactionScopeOptions = {}): Promise<R> {
  const session = toSession(target);
  const { retry, ...txOptions } = options;
  if (retry) {
    if (session instanceof TransactionHandle && session.kind !== "pinned") {
      throw new TransactionError("retry cannot run inside an open transaction: retry the outermost transaction instead");
    }
    return withRetry(() => runTransaction(session, work, txOptions), retry);
  }
  // An explicit handle: nest in it, and leave the ambient scope as it is.
  if (session instanceof TransactionHandle) return runSavepoint(session, work, txOptions, false);
  const ambient = await loadScopeStorage();
  if (!ambient && work.length === 0) {
    throw new ConfigurationError(`cannot start an ambient transaction scope: ${SCOPE_FLAGS_HINT}`);
  }
  const parent = session.transaction;
  if (parent) return runSavepoint(parent, work, txOptions, ambient);
  return runOutermost(session.backend, work, txOptions, ambient);
}

function enter<R>(handle: TransactionHandle, work: TransactionWork<R>, ambient: boolean): Promise<R> {
  return ambient ? runInScope(handle.backend, handle, () => work(handle)) : work(handle);
}

async function runOutermost<R>(backend: Backend, work: TransactionWork<R>, options: TransactionOptions, ambient: boolean): Promise<R> {
  const tx = await backend.transactions.begin(options);
  // A transaction may write: this request's later reads on a replicated database stay on its primary.
  noteWrite(backend);
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
  if (parent.activeChild && isWithin(currentScope<Backend, TransactionHandle>(parent.backend), parent.activeChild)) {
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
  const handle = new TransactionHandle(parent.backend, tx, "savepoint", parent, name);
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

function attachRollbackFailure(error: unknown, rollbackError: unknown): void {
  if (error && typeof error === "object" && !("rollbackError" in error)) {
    Object.defineProperty(error, "rollbackError", { value: rollbackError, enumerable: false });
  }
}
