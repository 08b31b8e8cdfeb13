/**
 * A session: what a model needs to run a statement, and nothing more. It is
 * an executor (where the statement runs: an open transaction, or the backend
 * in autocommit) plus the dialect that compiles it.
 *
 * A model is bound to one of two kinds:
 *
 * - a backend's session (`Model.configure(...)`): each statement joins the
 *   ambient transaction scope of that backend when the current async context
 *   has one, else autocommits on the backend;
 * - a transaction handle (`Model.using(tx)`, see ./handle.ts): each statement
 *   runs in that transaction level, whatever the ambient scope says.
 *
 * The model layer asks the session where a statement goes (`transaction`)
 * instead of testing what it was given; connecting, pooling and beginning
 * stay with the backend.
 */
import type { CompiledQuery } from "../query/ast.ts";
import type { Backend, Executor, QueryResult } from "../backend/backend.ts";
import type { Dialect } from "../dialect/dialect.ts";
import { TransactionHandle } from "./handle.ts";
import { currentScope } from "./scope.ts";
import { observe, observing } from "./events.ts";

/** What a model runs statements through: a dialect plus somewhere to run them (a backend's ambient scope or a transaction handle). */
export interface Session extends Executor {
  /** Compiles statements for this session's database; its capability flags say what it can do. */
  readonly dialect: Dialect;
  /** The backend underneath: where a transaction begins, and whose `batch()` runs autocommit batches. */
  readonly backend: Backend;
  /**
   * The transaction level a statement run now joins: the handle itself, or
   * the ambient scope of `backend` in this async context; undefined when a
   * statement would autocommit. It may have ended (a promise not awaited):
   * its `execute` then refuses, rather than silently autocommitting.
   */
  readonly transaction: TransactionHandle | undefined;
  /** Runs a statement in `transaction`, or on the backend in autocommit. */
  execute(query: CompiledQuery): Promise<QueryResult>;
  /**
   * Optional: a session of the same backend that runs every statement on the
   * primary, reads included, where this one may send reads elsewhere (a
   * replica set's routing session). `query.onPrimary()` binds it.
   */
  readonly primary?: Session;
}

/** The session of a backend: ambient transaction if any, else autocommit. */
class BackendSession implements Session {
  readonly dialect: Dialect;

  constructor(readonly backend: Backend) {
    this.dialect = backend.dialect;
  }

  get transaction(): TransactionHandle | undefined {
    return currentScope<Backend, TransactionHandle>(this.backend);
  }

  execute(query: CompiledQuery): Promise<QueryResult> {
    // The hot path of every model query: one scope lookup, no extra promise (a transaction handle reports its own events).
    const tx = currentScope<Backend, TransactionHandle>(this.backend);
    if (tx || !observing) return (tx ?? this.backend).execute(query);
    return observe(query, false, () => this.backend.execute(query), this.dialect.name);
  }
}

/** One session per backend, made on first use (or handed over by `provideSession`) and kept as long as the backend. */
const sessions = new WeakMap<Backend, Session>();
/** Sessions of other kinds than BackendSession and TransactionHandle, handed over by `provideSession`. */
const provided = new WeakSet<object>();

export function sessionFor(backend: Backend): Session {
  let session = sessions.get(backend);
  if (!session) sessions.set(backend, (session = new BackendSession(backend)));
  return session;
}

/**
 * Hands over a session of another kind: `backend`'s own (a replica set's
 * routing session, given when the set is made, see ./routing.ts), or, with
 * `null`, one a model is bound to directly (the primary-only session of
 * `onPrimary()`). This file knows no such kind, so an app without them
 * bundles none.
 */
export function provideSession<S extends Session>(backend: Backend | null, session: S): S {
  provided.add(session);
  if (backend) sessions.set(backend, session);
  return session;
}

/** Whether `value` is already a session (a backend's, a transaction handle, or one handed over), rather than a backend. */
export function isSession(value: Backend | Session): value is Session {
  return value instanceof BackendSession || value instanceof TransactionHandle || provided.has(value);
}

/** A session for what a public function was given: a session as it is, a backend's own session otherwise. */
export function toSession(target: Backend | Session): Session {
  return isSession(target) ? target : sessionFor(target);
}
