/**
 * Query events: `ActiveRecord.on("query", (e) => ...)` hears every statement
 * a model runs (through a backend's session or a transaction handle), after
 * it answered or failed. With no listener the sessions test one live binding
 * (`observing`) and run the statement exactly as before: no event object, no
 * clock read, no extra promise.
 */
import type { CompiledQuery } from "../query/ast.ts";
import type { QueryResult } from "../backend/backend.ts";

/** One statement EdgeRecord ran (or tried to), as `ActiveRecord.on("query", ...)` listeners receive it. */
export interface QueryEvent {
  /** The SQL text as sent, with placeholders. */
  readonly sql: string;
  /** How many parameters were bound; their values are never in the event (they may hold user data). */
  readonly paramCount: number;
  /** The compiler's statement kind, when it compiled the statement (undefined for raw SQL). */
  readonly kind: CompiledQuery["kind"];
  /** Milliseconds, from the session's call to the answer (or the failure). */
  readonly duration: number;
  /** Which node ran it: "replica" only for a read routed to a replica; every other statement runs on the primary. */
  readonly node: "primary" | "replica";
  /** Whether it ran inside a transaction. */
  readonly inTransaction: boolean;
  /** Rows returned or changed; absent on failure. */
  readonly rowCount?: number;
  /** The error it failed with (already one of EdgeRecord's classes). */
  readonly error?: unknown;
  /** The dialect of the database that ran it: "sqlite", "postgres", "d1"... */
  readonly system: string;
}

/** A function that receives every query event. */
export type QueryListener = (event: QueryEvent) => void;

/** Replaced, never changed in place: an emit walks the list it started with, so no copy per event. */
let listeners: readonly QueryListener[] = [];

/** True while at least one listener is attached: the one check the hot path makes. */
export let observing: boolean = false;

/** Adds a listener; returns the function that removes it. */
export function onQuery(listener: QueryListener): () => void {
  listeners = [...listeners, listener];
  observing = true;
  return () => {
    const at = listeners.indexOf(listener);
    if (at >= 0) listeners = listeners.filter((_, i) => i !== at);
    observing = listeners.length > 0;
  };
}

/** Runs `work` and tells every listener how it went. `node` may be decided while it runs (replica failover). */
export function observe(
  query: CompiledQuery,
  inTransaction: boolean,
  work: (setNode: (node: "primary" | "replica") => void) => Promise<QueryResult>,
  system: string,
): Promise<QueryResult> {
  const started = performance.now();
  let node: "primary" | "replica" = "primary";
  return work((n) => (node = n)).then(
    (result) => {
      const rowCount = result.values ? result.values.rows.length : result.rows.length || result.affectedRows;
      emit({ sql: query.sql, paramCount: query.params.length, kind: query.kind, duration: performance.now() - started, node, inTransaction, system, rowCount });
      return result;
    },
    (error: unknown) => {
      emit({ sql: query.sql, paramCount: query.params.length, kind: query.kind, duration: performance.now() - started, node, inTransaction, system, error });
      throw error;
    },
  );
}

function emit(event: QueryEvent): void {
  for (const listener of listeners) {
    try {
      listener(event);
    } catch {
      // A listener's failure (a logger that throws) must not change the statement's outcome.
    }
  }
}
