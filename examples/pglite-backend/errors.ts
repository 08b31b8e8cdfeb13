/**
 * Maps PGlite's errors onto EdgeRecord's classes. PGlite raises pg-protocol's
 * DatabaseError, whose fields are `code`, `constraint`, `table`, `column` and
 * `detail` (postgres.js spells them `constraint_name`...: each driver, its own
 * mapper).
 */
import {
  ConnectionError,
  DatabaseError,
  IntegrityError,
  QueryError,
  SerializationError,
  TransactionError,
  type IntegrityKind,
} from "../../src/index.ts";

interface PgProtocolError {
  code?: unknown;
  message?: unknown;
  detail?: unknown;
  constraint?: unknown;
  table?: unknown;
  column?: unknown;
}

const INTEGRITY: Record<string, IntegrityKind> = { "23505": "unique", "23503": "foreign_key", "23502": "not_null", "23514": "check" };

export function mapPgliteError(error: unknown, query?: { sql: string; params: readonly unknown[] }): DatabaseError {
  if (error instanceof DatabaseError) return error;
  const e = (error ?? {}) as PgProtocolError;
  const code = typeof e.code === "string" ? e.code : "";
  const message = String(e.message ?? error);
  const options = { cause: error, sql: query?.sql, params: query?.params };

  const kind = INTEGRITY[code];
  if (kind) {
    const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
    // The column of a unique or foreign-key violation is only in the detail: `Key (email)=(...) already exists.`
    const column = text(e.column) ?? /^Key \(([^)]*)\)=/.exec(text(e.detail) ?? "")?.[1];
    const details: { kind: IntegrityKind; constraint?: string; table?: string; column?: string } = { kind };
    if (text(e.constraint)) details.constraint = text(e.constraint)!;
    if (text(e.table)) details.table = text(e.table)!;
    if (column) details.column = column;
    return new IntegrityError(message, details, options);
  }
  if (code === "40001" || code === "40P01") return new SerializationError(message, options);
  if (code.startsWith("08") || /closed|not ready/i.test(message)) return new ConnectionError(`PGlite: ${message}`, options);
  if (code.startsWith("25")) return new TransactionError(message, options);
  return new QueryError(message, options);
}
