/**
 * Transactions as ambient scopes: inside `ActiveRecord.transaction(fn)` every
 * query on that backend runs in the transaction with no handle passed around;
 * a nested call is a savepoint. The scope is per backend, so a model bound to
 * another database is not pulled in.
 */
import type { Backend, Executor, Transaction, TransactionOptions } from "../backend/backend.ts";
import { TransactionError } from "../errors.ts";
import { currentScope, runInScope } from "../transaction/scope.ts";

interface ScopeEntry {
  readonly tx: Transaction;
  /** Savepoints opened so far in this transaction, to name the next one. */
  savepoints: number;
}

/** The transaction this async context holds on `backend`, or the backend itself (autocommit). */
export function executorFor(backend: Backend): Executor {
  return currentScope<Backend, ScopeEntry>(backend)?.tx ?? backend;
}

export function inTransaction(backend: Backend): boolean {
  return currentScope<Backend, ScopeEntry>(backend) !== undefined;
}

export async function runTransaction<T>(backend: Backend, work: () => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  const entry = currentScope<Backend, ScopeEntry>(backend);
  return entry ? runSavepoint(backend, entry, work, options) : runOutermost(backend, work, options);
}

async function runOutermost<T>(backend: Backend, work: () => Promise<T>, options: TransactionOptions): Promise<T> {
  const tx = await backend.transactions.begin(options);
  const entry: ScopeEntry = { tx, savepoints: 0 };
  let result: T;
  try {
    result = await runInScope(backend, entry, work);
  } catch (error) {
    // The caller's error is what matters; a failed rollback is attached, not thrown instead.
    if (tx.isOpen) await tx.rollback().catch((rollbackError: unknown) => attachRollbackFailure(error, rollbackError));
    throw error;
  }
  await tx.commit();
  return result;
}

async function runSavepoint<T>(backend: Backend, entry: ScopeEntry, work: () => Promise<T>, options: TransactionOptions): Promise<T> {
  if (!backend.dialect.capabilities.savepoints) {
    throw new TransactionError(`${backend.dialect.name} has no savepoints, so transactions cannot be nested`);
  }
  if (options.isolation || options.readOnly) {
    throw new TransactionError("a nested transaction runs in its outer transaction: it cannot set isolation or readOnly");
  }
  const name = `edgerecord_sp_${++entry.savepoints}`;
  await entry.tx.savepoint(name);
  let result: T;
  try {
    result = await work();
  } catch (error) {
    if (entry.tx.isOpen) {
      await entry.tx
        .rollbackToSavepoint(name)
        .then(() => entry.tx.releaseSavepoint(name))
        .catch((rollbackError: unknown) => attachRollbackFailure(error, rollbackError));
    }
    throw error;
  }
  await entry.tx.releaseSavepoint(name);
  return result;
}

function attachRollbackFailure(error: unknown, rollbackError: unknown): void {
  if (error && typeof error === "object" && !("rollbackError" in error)) {
    Object.defineProperty(error, "rollbackError", { value: rollbackError, enumerable: false });
  }
}
