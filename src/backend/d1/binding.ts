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

/** The part of a Cloudflare D1 binding (`env.DB`) EdgeRecord uses. */
export interface D1Database {
  /** Prepares a statement. */
  prepare(sql: string): D1PreparedStatement;
  /** Runs the statements in order in one implicit transaction: all apply, or none. */
  batch<T = Record<string, unknown>>(statements: D1PreparedStatement[]): Promise<D1Result<T>[]>;
}

/** Configuration of a D1 backend. */
export interface D1Config {
  /** The D1 binding, e.g. `env.DB` in a Worker's `fetch(request, env)`. */
  readonly binding: D1Database;
}
