/** Maps postgres.js errors (server errors and its own connection errors) onto EdgeRecord's classes. */
import {
  ConnectionError,
  DatabaseError,
  IntegrityError,
  type IntegrityKind,
  QueryError,
  SerializationError,
  TransactionError,
} from "../../errors.ts";

/** The fields postgres.js copies from the server's ErrorResponse, plus Node's socket error fields. */
interface PostgresLikeError {
  code?: unknown;
  message?: unknown;
  detail?: unknown;
  constraint_name?: unknown;
  table_name?: unknown;
  column_name?: unknown;
}

const INTEGRITY: Record<string, IntegrityKind> = {
  "23505": "unique",
  "23503": "foreign_key",
  "23502": "not_null",
  "23514": "check",
};

/** Retrying the whole transaction may succeed: serialization_failure, deadlock_detected. */
const SERIALIZATION = new Set(["40001", "40P01"]);

/** Socket and driver codes for a server that cannot be reached or a connection that was lost. */
const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "SASL_SIGNATURE_MISMATCH",
  "AUTH_TYPE_NOT_IMPLEMENTED",
  // Server SQLSTATEs: cannot connect now, admin/crash shutdown, too many connections,
  // bad password or role, database does not exist.
  "57P01",
  "57P02",
  "57P03",
  "53300",
  "28000",
  "28P01",
  "3D000",
]);

/** What the backend knew when an error happened: the statement and whether COMMIT was in flight. */
export interface ErrorContext {
  /** `host:port/database`, named in connection errors. */
  readonly server?: string;
  /** Strings (passwords) that must never appear in a message. */
  readonly secrets?: readonly string[];
}

/** Maps a postgres.js error onto EdgeRecord's error classes, keeping it as `cause`. */
export function mapPostgresError(
  error: unknown,
  query?: { sql: string; params: readonly unknown[] },
  context: ErrorContext = {},
): DatabaseError {
  if (error instanceof DatabaseError) return error;
  const e = (error ?? {}) as PostgresLikeError;
  const code = typeof e.code === "string" ? e.code : "";
  const message = scrub(String(e.message ?? error), context.secrets ?? []);
  const options = { cause: error, sql: query?.sql, params: query?.params };

  const kind = INTEGRITY[code];
  if (kind) return new IntegrityError(message, { kind, ...constraintTarget(kind, e) }, options);
  if (SERIALIZATION.has(code)) return new SerializationError(message, options);
  // Class 08 is connection_exception.
  if (CONNECTION_CODES.has(code) || code.startsWith("08")) {
    const where = context.server ? `PostgreSQL at ${context.server}` : "PostgreSQL";
    return new ConnectionError(`cannot reach ${where}: ${message}`, options);
  }
  // Class 25 is invalid_transaction_state (e.g. "current transaction is aborted").
  if (code.startsWith("25")) return new TransactionError(message, options);
  return new QueryError(message, options);
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * The server names the constraint and table; it names the column only for
 * NOT NULL. Unique and foreign-key violations carry it in the detail,
 * `Key (email)=(ann@example.com) already exists.`, whose columns we read.
 */
function constraintTarget(kind: IntegrityKind, e: PostgresLikeError): { constraint?: string; table?: string; column?: string } {
  const out: { constraint?: string; table?: string; column?: string } = {};
  const constraint = text(e.constraint_name);
  const table = text(e.table_name);
  let column = text(e.column_name);
  if (!column && (kind === "unique" || kind === "foreign_key")) {
    column = /^Key \(([^)]*)\)=/.exec(text(e.detail) ?? "")?.[1];
  }
  if (constraint) out.constraint = constraint;
  if (table) out.table = table;
  if (column) out.column = column;
  return out;
}

function scrub(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const secret of secrets) out = out.replaceAll(secret, "***");
  return out;
}
