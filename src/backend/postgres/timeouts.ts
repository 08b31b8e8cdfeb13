/**
 * Statement time limits on PostgreSQL, in two layers:
 *
 * - the server's own `statement_timeout` cancels a statement that runs too
 *   long and answers 57014: the outcome is known (it did not happen) and the
 *   connection stays usable;
 * - a client-side deadline, a little later, for when no answer can come at all
 *   (a silent network: a dropped route, a paused VM, a proxy that stopped
 *   forwarding). Without it a request would wait for TCP keepalive, minutes.
 *   When it fires the statement may still complete on the server, so the
 *   error says the server did not cancel it.
 */
import { ConfigurationError, QueryTimeoutError } from "../../errors.ts";

/** The client waits this much beyond the server's limit (at most 1 s) before giving up on an answer. */
export function clientDeadline(timeout: number): number {
  return timeout + Math.min(timeout, 1000);
}

/** `statementTimeout` from a backend config: undefined, or a whole number of ms above 0. */
export function statementTimeoutOf(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
    throw new ConfigurationError(`PostgresBackend: statementTimeout is a whole number of milliseconds above 0, got ${String(value)}`);
  }
  return value;
}

/**
 * Settles like `work`, or rejects with a client-side QueryTimeoutError after
 * `ms`. A late answer or failure of `work` is then ignored (its rejection is
 * handled here, so it can never surface as an unhandled rejection).
 */
export function withDeadline<T>(work: PromiseLike<T>, ms: number, query: { sql: string; params: readonly unknown[] }): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(
        new QueryTimeoutError(`no answer from PostgreSQL within ${ms} ms: the statement may still complete on the server`, {
          sql: query.sql,
          params: query.params,
          serverCancelled: false,
        }),
      );
    }, ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** PostgreSQL's query_canceled (statement_timeout, or a cancel request) as a QueryTimeoutError; else undefined. */
export function serverTimeout(error: unknown, query?: { sql: string; params: readonly unknown[] }): QueryTimeoutError | undefined {
  if ((error as { code?: unknown } | null)?.code !== "57014") return undefined;
  return new QueryTimeoutError(`PostgreSQL cancelled the statement: ${String((error as Error).message)}`, {
    cause: error,
    sql: query?.sql,
    params: query?.params,
    serverCancelled: true,
  });
}
