/**
 * The part of Cloudflare's D1 binding (`env.DB`) that EdgeRecord uses,
 * declared structurally so that neither this package nor its users need
 * `@cloudflare/workers-types` to compile: the real binding, Miniflare's, and
 * a test double all fit.
 */

export interface D1Meta {
  /** Rows changed by the statement. */
  readonly changes?: number;
  /** The rowid of the last inserted row. */
  readonly last_row_id?: number;
  /** How long the statement took, in milliseconds. */
  readonly duration?: number;
}

/** What D1 returns for one statement. */
export interface D1Result<T = Record<string, unknown>> {
  /** The rows, as objects. */
  readonly results?: T[];
  /** Whether the statement succeeded. */
  readonly success: boolean;
  /** Counts and timing. */
  readonly meta: D1Meta;
}

/** A D1 statement, prepared from SQL text. */
export interface D1PreparedStatement {
  /** Binds the parameters, in order. */
  bind(...values: unknown[]): D1PreparedStatement;
  /** Runs the statement and returns every row. */
  all<T = Record<string, unknown>>(): Promise<D1Result<T>>;
}

/** Where a D1 session starts: the primary, any replica, or no older than a bookmark from an earlier session. */
export type D1SessionStart = "first-primary" | "first-unconstrained" | (string & {});

/** What `prepare` and `batch` run on: the binding itself, or one of its sessions. */
export interface D1Statements {
  /** Prepares a statement. */
  prepare(sql: string): D1PreparedStatement;
  /** Runs the statements in order in one implicit transaction: all apply, or none. */
  batch<T = Record<string, unknown>>(statements: D1PreparedStatement[]): Promise<D1Result<T>[]>;
}

/** A D1 session (`env.DB.withSession(...)`): its queries see the database in one order (sequential consistency). */
export interface D1DatabaseSession extends D1Statements {
  /** The bookmark of the latest query this session ran (null before the first one when it started without a bookmark). */
  getBookmark(): string | null;
}

/** The part of a Cloudflare D1 binding (`env.DB`) EdgeRecord uses. */
export interface D1Database extends D1Statements {
  /** Starts a session (D1 read replication, the Sessions API); absent on older runtimes. */
  withSession?(start?: D1SessionStart): D1DatabaseSession;
}

/** Configuration of a D1 backend. */
export interface D1Config {
  /** The D1 binding, e.g. `env.DB` in a Worker's `fetch(request, env)`. */
  readonly binding: D1Database;
  /**
   * Use D1 sessions (read replication): where a session starts when
   * `backend.session(...)` gets no bookmark, and where each statement outside
   * such a scope starts its own. Without it statements run on the binding
   * itself (the primary).
   */
  readonly session?: D1SessionStart;
}
