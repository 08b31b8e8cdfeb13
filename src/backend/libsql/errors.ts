/** Maps libSQL / SQLite errors (native engine and @libsql/client alike) onto EdgeRecord's classes. */
import {
  ConnectionError,
  DatabaseError,
  IntegrityError,
  type IntegrityKind,
  QueryError,
  SerializationError,
} from "../../errors.ts";

interface SqliteLikeError {
  code?: unknown;
  extendedCode?: unknown;
  message?: unknown;
}

const CONSTRAINTS: Record<string, IntegrityKind> = {
  SQLITE_CONSTRAINT_UNIQUE: "unique",
  // A duplicate key is "unique" on every backend, as PostgreSQL reports it (unique_violation).
  SQLITE_CONSTRAINT_PRIMARYKEY: "unique",
  SQLITE_CONSTRAINT_NOTNULL: "not_null",
  SQLITE_CONSTRAINT_FOREIGNKEY: "foreign_key",
  SQLITE_CONSTRAINT_CHECK: "check",
};

const CONNECTION_CODES = new Set(["SQLITE_CANTOPEN", "SQLITE_NOTADB", "URL_INVALID", "URL_SCHEME_NOT_SUPPORTED", "SERVER_ERROR", "HRANA_WEBSOCKET_ERROR", "HRANA_CLOSED_ERROR", "STREAM_EXPIRED", "CLIENT_CLOSED"]);

/** Maps a libSQL error onto EdgeRecord's error classes, keeping it as `cause`. */
export function mapLibsqlError(error: unknown, query?: { sql: string; params: readonly unknown[] }): DatabaseError {
  if (error instanceof DatabaseError) return error;
  const e = (error ?? {}) as SqliteLikeError;
  const code = String(e.extendedCode ?? e.code ?? "");
  const message = String(e.message ?? error).replace(/^SQLITE_\w+: /, "");
  const options = { cause: error, sql: query?.sql, params: query?.params };

  const kind = CONSTRAINTS[code] ?? (code.startsWith("SQLITE_CONSTRAINT") ? kindFromMessage(message) : undefined);
  if (kind) return new IntegrityError(message, { kind, ...constraintTarget(kind, message) }, options);
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
    return new SerializationError(`database is busy or locked: ${message}`, options);
  }
  if (CONNECTION_CODES.has(code) || /fetch failed|ECONNREFUSED|ENOTFOUND|network/i.test(message)) {
    return new ConnectionError(message, options);
  }
  return new QueryError(message, options);
}

function kindFromMessage(message: string): IntegrityKind {
  if (/UNIQUE/.test(message)) return "unique";
  if (/NOT NULL/.test(message)) return "not_null";
  if (/FOREIGN KEY/.test(message)) return "foreign_key";
  if (/CHECK/.test(message)) return "check";
  return "other";
}

/**
 * SQLite names the columns, not the constraint: "UNIQUE constraint failed: users.email",
 * "CHECK constraint failed: age_positive". We report what it gives.
 */
function constraintTarget(kind: IntegrityKind, message: string): { table?: string; column?: string; constraint?: string } {
  const detail = /constraint failed: (.+)$/.exec(message)?.[1]?.trim();
  if (!detail) return {};
  if (kind === "check") return { constraint: detail };
  const [first] = detail.split(",").map((s) => s.trim());
  const dot = first!.indexOf(".");
  if (dot < 0) return { column: first };
  const table = first!.slice(0, dot);
  const columns = detail.split(",").map((s) => s.trim().slice(dot + 1));
  return { table, column: columns.join(", "), constraint: detail };
}
