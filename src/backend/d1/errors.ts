/**
 * D1 reports errors as plain Errors whose message carries SQLite's text,
 * e.g. "D1_ERROR: UNIQUE constraint failed: users.email: SQLITE_CONSTRAINT".
 * There is no structured code, so the message is what we classify.
 */
import { ConnectionError, DatabaseError, IntegrityError, type IntegrityKind, QueryError, SerializationError } from "../../errors.ts";

const KINDS: [RegExp, IntegrityKind][] = [
  [/UNIQUE constraint/, "unique"],
  [/NOT NULL constraint/, "not_null"],
  [/FOREIGN KEY constraint/, "foreign_key"],
  [/CHECK constraint/, "check"],
  [/PRIMARY KEY|constraint failed/, "other"],
];

/** Maps a D1 error onto EdgeRecord's error classes, keeping it as `cause`. */
export function mapD1Error(error: unknown, query?: { sql: string; params: readonly unknown[] }): DatabaseError {
  if (error instanceof DatabaseError) return error;
  const raw = String((error as { message?: unknown })?.message ?? error);
  // Strip D1's wrapper ("D1_ERROR: ", "D1_EXEC_ERROR: ") and SQLite's trailing code so the text reads like SQLite's own.
  const message = raw.replace(/^D1_\w+: /, "").replace(/: SQLITE_\w+$/, "");
  const options = { cause: error, sql: query?.sql, params: query?.params };
  const kind = KINDS.find(([pattern]) => pattern.test(message))?.[1];
  if (kind) {
    const detail = /constraint failed: ([^:]+)/.exec(message)?.[1]?.trim();
    const [table, column] = detail?.includes(".") ? [detail.slice(0, detail.indexOf(".")), detail.slice(detail.indexOf(".") + 1)] : [];
    return new IntegrityError(message, { kind, ...(table ? { table, column } : {}), ...(detail ? { constraint: detail } : {}) }, options);
  }
  if (/SQLITE_BUSY|database is locked|overloaded/i.test(raw)) return new SerializationError(message, options);
  if (/network|fetch failed|Network connection lost/i.test(raw)) return new ConnectionError(message, options);
  return new QueryError(message, options);
}
