/**
 * What a statement does, for backends whose driver does not report it (the
 * native libSQL engine's `reader` flag says "returns rows", not "wrote";
 * D1's meta gives a `last_row_id` after any statement). The compiler's hints
 * (`CompiledQuery.kind`, `returning`) answer for every statement it compiled;
 * only SQL it did not compile (sql``, `Model.raw`, a backend's own
 * statements) is read by its first word, which is right for the statements
 * applications write but not for all (`WITH ... INSERT` counts as a read).
 */
import type { CompiledQuery, StatementKind } from "../query/ast.ts";

const FIRST_WORD = /^\s*([A-Za-z]+)/;
const RETURNING = /\breturning\b/i;
const BY_FIRST_WORD = new Map<string, StatementKind>([
  ["select", "read"],
  ["with", "read"],
  ["pragma", "read"],
  ["explain", "read"],
  ["values", "read"],
  ["insert", "insert"],
  ["replace", "insert"],
  ["update", "update"],
  ["delete", "delete"],
  ["create", "schema"],
  ["drop", "schema"],
  ["alter", "schema"],
]);

/** The compiler's `kind`, else the kind the SQL text's first word names (undefined for anything else). */
export function statementKind(query: CompiledQuery): StatementKind | undefined {
  if (query.kind) return query.kind;
  const word = FIRST_WORD.exec(query.sql)?.[1];
  return word === undefined ? undefined : BY_FIRST_WORD.get(word.toLowerCase());
}

/** An INSERT, UPDATE or DELETE. */
export function isWrite(query: CompiledQuery): boolean {
  const kind = statementKind(query);
  return kind === "insert" || kind === "update" || kind === "delete";
}

/** A statement with RETURNING: the compiler's hint, else any `returning` word in raw text. */
export function hasReturning(query: CompiledQuery): boolean {
  return query.kind ? query.returning === true : RETURNING.test(query.sql);
}

/** Whether the statement hands back rows: a read, or a write with RETURNING. */
export function returnsRows(query: CompiledQuery): boolean {
  return statementKind(query) === "read" || hasReturning(query);
}
