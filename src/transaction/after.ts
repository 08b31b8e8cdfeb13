/**
 * `afterCommit(fn)` / `afterRollback(fn)`: callbacks attached to the
 * transaction scope that is open here (see ./callbacks.ts for when they run).
 */
import type { Backend } from "../backend/backend.ts";
import { invoke, type TransactionCallback } from "./callbacks.ts";
import { TransactionHandle } from "./handle.ts";
import { currentScope, INNERMOST } from "./scope.ts";
import { toSession, type Session } from "./session.ts";

/** The scope callbacks attach to: `target`'s (when given) or the innermost one of this context. */
function scopeFor(target?: Backend | Session): TransactionHandle | undefined {
  const session = target && toSession(target);
  // A handle given explicitly is the scope even once ended: registering on it then is an error, not "run now".
  if (session instanceof TransactionHandle) return session;
  const handle = session ? session.transaction : currentScope<symbol, TransactionHandle>(INNERMOST);
  return handle?.isOpen ? handle : undefined;
}

/**
 * Runs `fn` once, after the outermost transaction of the current scope (or of
 * `target`'s scope) commits. Outside a transaction the work is already
 * durable, so `fn` runs at once; the promise settles when it has been
 * registered (or has run). Errors in `fn` go to `onCallbackError`.
 */
export function afterCommit(fn: TransactionCallback, target?: Backend | Session): Promise<void> {
  const scope = scopeFor(target);
  return scope ? scope.afterCommit(fn) : invoke(fn, "commit");
}

/**
 * Runs `fn` once, after the outermost transaction ends, if the work of the
 * current scope was rolled back (the whole transaction, or just the savepoint
 * it was registered in). Outside a transaction nothing can roll back: no-op.
 */
export function afterRollback(fn: TransactionCallback, target?: Backend | Session): Promise<void> {
  const scope = scopeFor(target);
  return scope ? scope.afterRollback(fn) : Promise.resolve();
}
