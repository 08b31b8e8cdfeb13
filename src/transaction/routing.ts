/**
 * Read routing for a primary with replicas, beside the transaction scope and
 * in the same AsyncLocalStorage store: one store per request holds the open
 * transaction (keyed by backend), whether this request has written (and
 * when), and whether `onPrimary` is in force.
 *
 * - A statement inside a transaction runs in it: on the primary.
 * - A read (the compiler's `kind: "read"`, no row lock) goes to a replica,
 *   unless `onPrimary` is in force or this request scope wrote on this
 *   database (for `stickyWindow` ms, or for the rest of the scope).
 * - Everything else (writes, DDL, SQL without a kind) runs on the primary
 *   and, unless the compiler says it is a read, counts as a write.
 *
 * The request state is a mutable object shared by reference: a transaction
 * scope entered inside the request copies the store's map, not the state, so
 * a write inside a transaction is seen by the request after it.
 */
import type { CompiledQuery } from "../query/ast.ts";
import type { Backend, QueryResult } from "../backend/backend.ts";
import type { Dialect } from "../dialect/dialect.ts";
import { ConfigurationError } from "../errors.ts";
import { ReplicaSet } from "../backend/replicas/replica-set.ts";
import { statementKind } from "../backend/statement-kind.ts";
import type { TransactionHandle } from "./handle.ts";
import { observe, observing } from "./events.ts";
import { currentScope, loadScopeStorage, runWithValue, SCOPE_FLAGS_HINT } from "./scope.ts";

const REQUEST: unique symbol = Symbol("edgerecord.request");
const ON_PRIMARY: unique symbol = Symbol("edgerecord.onPrimary");
/** A row lock cannot be taken on a hot standby; the compiler writes it last. */
const ROW_LOCK = /\sFOR\s+(NO\s+KEY\s+UPDATE|UPDATE|KEY\s+SHARE|SHARE)(\s+OF\s+[^;]*)?(\s+NOWAIT|\s+SKIP\s+LOCKED)?\s*;?\s*$/i;

/** What one request scope remembers: when it last wrote on each replicated database. */
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

/** Records a write on `backend` in the current request scope (nothing when there is none). */
export function noteWrite(backend: Backend): void {
  if (backend instanceof ReplicaSet) currentScope<symbol, RequestState>(REQUEST)?.wroteAt.set(backend, performance.now());
}

/** Whether reads on `set` must stay on the primary in this async context. */
function pinnedToPrimary(set: ReplicaSet): boolean {
  if (currentScope<symbol, boolean>(ON_PRIMARY)) return true;
  const wrote = currentScope<symbol, RequestState>(REQUEST)?.wroteAt.get(set);
  if (wrote === undefined) return false;
  const window = set.options.stickyWindow;
  return window === undefined || performance.now() - wrote < window;
}

/** A read that a replica can serve: the compiler's read, or (if allowed) raw SELECT text; never a row lock. */
function replicaCanServe(set: ReplicaSet, query: CompiledQuery): boolean {
  if (query.kind === "read") return !ROW_LOCK.test(query.sql);
  if (query.kind !== undefined || set.options.rawReads !== "replica") return false;
  return statementKind(query) === "read" && !ROW_LOCK.test(query.sql);
}

/**
 * The session of a replica set: what `sessionFor` makes for one. With
 * `forcePrimary` it is the session of `query.onPrimary()`.
 */
export class RoutingSession {
  readonly dialect: Dialect;

  constructor(
    readonly backend: ReplicaSet,
    readonly forcePrimary = false,
  ) {
    this.dialect = backend.dialect;
  }

  get transaction(): TransactionHandle | undefined {
    return currentScope<Backend, TransactionHandle>(this.backend);
  }

  execute(query: CompiledQuery): Promise<QueryResult> {
    const set = this.backend;
    const tx = currentScope<Backend, TransactionHandle>(set);
    if (tx) return tx.execute(query);
    if (replicaCanServe(set, query)) {
      if (!this.forcePrimary && !pinnedToPrimary(set)) {
        return observing ? observe(query, false, (setNode) => set.read(query, (role) => setNode(role)), this.dialect.name) : set.read(query);
      }
    } else if (statementKind(query) !== "read") {
      // Unknown raw SQL counts as a write: sticking to the primary is the safe mistake.
      noteWrite(set);
    }
    return observing ? observe(query, false, () => set.execute(query), this.dialect.name) : set.execute(query);
  }
}

/** One primary-only session per replica set, for `query.onPrimary()`. */
const primarySessions = new WeakMap<ReplicaSet, RoutingSession>();

export function primarySessionOf(set: ReplicaSet): RoutingSession {
  let session = primarySessions.get(set);
  if (!session) primarySessions.set(set, (session = new RoutingSession(set, true)));
  return session;
}
