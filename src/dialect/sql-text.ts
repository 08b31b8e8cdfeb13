/** SQL text helpers shared by the compilers and the DDL: identifier quoting and constant literals. */
import { ConfigurationError } from "../errors.ts";

/** A constant default rendered as SQL text: only numbers, booleans and strings (quotes doubled). */
export function literal(value: unknown): string {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  // NUL would end the statement text in some drivers.
  if (typeof value === "string" && !value.includes("\0")) return `'${value.replaceAll("'", "''")}'`;
  throw new ConfigurationError(`a constant in DDL (a column default, an enum value) must be a number, bigint, boolean or string without NUL, got ${typeof value}`);
}

/** Quoted names, kept: a model's few identifiers are quoted again in every statement. */
const quotedNames = new Map<string, string>();

/** Standard SQL identifier quoting (PostgreSQL, SQLite): double quotes, inner ones doubled. */
export function quoteDoubled(name: string): string {
  let quoted = quotedNames.get(name);
  if (quoted === undefined) {
    if (name.length === 0 || name.includes("\0")) throw new ConfigurationError(`invalid SQL identifier ${JSON.stringify(name)}`);
    quoted = `"${name.replaceAll('"', '""')}"`;
    // Bounded: identifiers come from model metadata, but raw callers could pass endless distinct names.
    if (quotedNames.size < 1000) quotedNames.set(name, quoted);
  }
  return quoted;
}
