/**
 * Request state beside the transaction scope, in the same AsyncLocalStorage
 * store: whether this request has written (and when) on each database, and
 * whether `onPrimary` is in force. Read routing (./routing.ts) decides from
 * it where a read on a replica set goes; this file knows nothing of replicas,
 * so an app that configures none bundles only this.
 *
 * The request state is a mutable object shared by reference: a transaction
 * scope entered inside the request copies the store's map, not the state, so
 * a write inside a transaction is seen by the request after it.
 */
import type { Backend } from "../backend/backend.ts";
import { ConfigurationError } from "../errors.ts";
import { currentScope, loadScopeStorage, runWithValue, SCOPE_FLAGS_HINT } from "./scope.ts";

const REQUEST: unique symbol = Symbol("edgerecord.request");
const ON_PRIMARY: unique symbol = Symbol("edgerecord.onPrimary");

/** What one request scope remembers: when it last wrote on each database. */
class RequestState {
  readonly wroteAt = new Map<Backend, number>();
}

/**
 * Runs `work` as one request: after it writes on a replicated database, its
 * reads there stay on the primary (read-your-writes). Nested calls share the
 * outer request.
 */
export async function runRequestScope<T>(work: () => Promise<T>): Promise<T> {
  if (!(await loadScopeStorage())) throw new ConfigurationError(`cannot start a request scope: ${SCOPE_FLAGS_HINT}`);
  if (currentScope<symbol, RequestState>(REQUEST)) return work();
  return runWithValue(REQUEST, new RequestState(), work);
}

/** Runs `work` with every statement on the primary, reads included. */
export async function runOnPrimary<T>(work: () => Promise<T>): Promise<T> {
  if (!(await loadScopeStorage())) throw new ConfigurationError(`cannot force the primary for a block: ${SCOPE_FLAGS_HINT}`);
  return runWithValue(ON_PRIMARY, true, work);
}

/**
 * Records a write on `backend` in the current request scope (nothing when
 * there is none). Only a replica set's routing ever asks (`pinnedToPrimary`);
 * an entry for another backend lives as long as the request and is never read.
 */
export function noteWrite(backend: Backend): void {
  currentScope<symbol, RequestState>(REQUEST)?.wroteAt.set(backend, performance.now());
}

/** Whether reads on `backend` must stay on the primary in this async context: `onPrimary`, or a write in this request (within `stickyWindow` ms, if set). */
export function pinnedToPrimary(backend: Backend, stickyWindow: number | undefined): boolean {
  if (currentScope<symbol, boolean>(ON_PRIMARY)) return true;
  const wrote = currentScope<symbol, RequestState>(REQUEST)?.wroteAt.get(backend);
  if (wrote === undefined) return false;
  return stickyWindow === undefined || performance.now() - wrote < stickyWindow;
}
