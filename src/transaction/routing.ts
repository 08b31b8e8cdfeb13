/**
 * Read routing for a primary with replicas, beside the transaction scope and
 * in the same AsyncLocalStorage store (the request state is ./request.ts):
 *
 * - A statement inside a transaction runs in it: on the primary.
 * - A read (the compiler's `kind: "read"`, no row lock) goes to a replica,
 *   unless `onPrimary` is in force or this request scope wrote on this
 *   database (for `stickyWindow` ms, or for the rest of the scope).
 * - Everything else (writes, DDL, SQL without a kind) runs on the primary
 *   and, unless the compiler says it is a read, counts as a write.
 *
 * Only `replicaSet()` below (which configure() calls for a
 * `{ primary, replicas }` config) reaches this module: the session of a
 * replica set is handed to transaction/session.ts when the set is made, so
 * the core's session code knows nothing of replicas.
 */
import type { CompiledQuery } from "../query/ast.ts";
import type { Backend, QueryResult } from "../backend/backend.ts";
import type { Dialect } from "../dialect/dialect.ts";
import { ReplicaSet } from "../backend/replicas/replica-set.ts";
import type { ReplicaRoutingOptions } from "../backend/replicas/config.ts";
import { statementKind } from "../backend/statement-kind.ts";
import type { TransactionHandle } from "./handle.ts";
import { observe, observing } from "./events.ts";
import { noteWrite, pinnedToPrimary } from "./request.ts";
import { currentScope } from "./scope.ts";
import { provideSession, type Session } from "./session.ts";

/** A row lock cannot be taken on a hot standby; the compiler writes it last. */
const ROW_LOCK = /\sFOR\s+(NO\s+KEY\s+UPDATE|UPDATE|KEY\s+SHARE|SHARE)(\s+OF\s+[^;]*)?(\s+NOWAIT|\s+SKIP\s+LOCKED)?\s*;?\s*$/i;

/** A read that a replica can serve: the compiler's read, or (if allowed) raw SELECT text; never a row lock. */
function replicaCanServe(set: ReplicaSet, query: CompiledQuery): boolean {
  if (query.kind === "read") return !ROW_LOCK.test(query.sql);
  if (query.kind !== undefined || set.options.rawReads !== "replica") return false;
  return statementKind(query) === "read" && !ROW_LOCK.test(query.sql);
}

/**
 * The session of a replica set (`sessionFor` gives it, once `replicaSet()`
 * handed it over). With `forcePrimary` it is the session of `query.onPrimary()`.
 */
export class RoutingSession implements Session {
  readonly dialect: Dialect;

  constructor(
    readonly backend: ReplicaSet,
    readonly forcePrimary = false,
  ) {
    this.dialect = backend.dialect;
  }

  /** For `query.onPrimary()`: the session of this set that reads the primary too (none when this one already does). */
  get primary(): Session | undefined {
    return this.forcePrimary ? undefined : primarySessionOf(this.backend);
  }

  get transaction(): TransactionHandle | undefined {
    return currentScope<Backend, TransactionHandle>(this.backend);
  }

  execute(query: CompiledQuery): Promise<QueryResult> {
    const set = this.backend;
    const tx = currentScope<Backend, TransactionHandle>(set);
    if (tx) return tx.execute(query);
    if (replicaCanServe(set, query)) {
      if (!this.forcePrimary && !pinnedToPrimary(set, set.options.stickyWindow)) {
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

function primarySessionOf(set: ReplicaSet): RoutingSession {
  let session = primarySessions.get(set);
  if (!session) primarySessions.set(set, (session = provideSession(null, new RoutingSession(set, true))));
  return session;
}

/**
 * A primary and its read replicas as one backend whose models route reads
 * (how configure() builds `{ primary, replicas }`): the set, with its routing
 * session handed to `sessionFor`.
 */
export function replicaSet(primary: Backend, replicas: readonly Backend[], options: ReplicaRoutingOptions): ReplicaSet {
  const set = new ReplicaSet(primary, replicas, options);
  provideSession(set, new RoutingSession(set));
  return set;
}
