/**
 * A guard for a postgres.js (3.4) bug: when the server ends a session with a
 * FATAL error (pg_terminate_backend, an admin shutdown) while a statement is
 * running, postgres.js keeps that error on the connection object after the
 * socket closes. The next statement that makes the pool reconnect that object
 * is rejected with the old error at the new session's startup, before it is
 * ever sent.
 *
 * Such an error names another statement (`query`), and it is a server error
 * (severity FATAL), never a socket error: a statement lost with its socket
 * gets CONNECTION_CLOSED instead, and may have run, so only the stale kind is
 * safe to send again.
 */
export function isStaleSessionError(error: unknown, sql: string): boolean {
  const e = error as { name?: unknown; severity?: unknown; query?: unknown } | null;
  return e?.name === "PostgresError" && e.severity === "FATAL" && typeof e.query === "string" && e.query !== sql;
}
