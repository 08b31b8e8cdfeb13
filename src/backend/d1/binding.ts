/**
 * The part of Cloudflare's D1 binding (`env.DB`) that EdgeRecord uses,
 * declared structurally so that neither this package nor its users need
 * `@cloudflare/workers-types` to compile: the real binding, Miniflare's, and
 * a test double all fit.
 */

export interface D1Meta {
  readonly changes?: number;
  readonly last_row_id?: number;
  readonly duration?: number;
}

export interface D1Result<T = Record<string, unknown>> {
  readonly results?: T[];
  readonly success: boolean;
  readonly meta: D1Meta;
}

export interface D1PreparedStatement {
  bind(...values: unknown[]): D1PreparedStatement;
  all<T = Record<string, unknown>>(): Promise<D1Result<T>>;
}

export interface D1Database {
  prepare(sql: string): D1PreparedStatement;
  /** Runs the statements in order in one implicit transaction: all apply, or none. */
  batch<T = Record<string, unknown>>(statements: D1PreparedStatement[]): Promise<D1Result<T>[]>;
}

export interface D1Config {
  /** The D1 binding, e.g. `env.DB` in a Worker's `fetch(request, env)`. */
  readonly binding: D1Database;
}
