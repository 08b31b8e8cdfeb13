/**
 * A SQLite table as its CREATE TABLE text says it: the top-level parts
 * between the parentheses (column definitions and table constraints), kept as
 * text so that a rebuild reproduces what it does not change byte for byte
 * (AUTOINCREMENT, column CHECKs, COLLATE...), plus its indexes and triggers.
 */
import { MigrationError } from "./errors.ts";

export interface SqliteTable {
  readonly name: string;
  /** Column definitions and table constraints, in order. */
  readonly parts: readonly string[];
  /** CREATE INDEX / CREATE TRIGGER statements on the table (automatic indexes have none). */
  readonly extras: readonly { readonly name: string; readonly type: string; readonly sql: string }[];
}

const CONSTRAINT_START = /^(constraint|primary|foreign|check|unique)\b/i;

export function isConstraint(part: string): boolean {
  return CONSTRAINT_START.test(part.trim());
}

/** The column name a column-definition part begins with, unquoted. */
export function columnNameOf(part: string): string {
  const text = part.trim();
  const open = text[0];
  const close = open === '"' ? '"' : open === "`" ? "`" : open === "[" ? "]" : undefined;
  if (!close) return /^[^\s(]+/.exec(text)![0];
  let name = "";
  for (let i = 1; i < text.length; i++) {
    if (text[i] === close) {
      if (text[i + 1] === close && close !== "]") {
        name += close;
        i++;
        continue;
      }
      return name;
    }
    name += text[i];
  }
  throw new MigrationError(`cannot read a column name in ${JSON.stringify(part)}`);
}

/** The name of a `CONSTRAINT name ...` part, unquoted, or undefined. */
export function constraintNameOf(part: string): string | undefined {
  const m = /^constraint\s+/i.exec(part.trim());
  return m ? columnNameOf(part.trim().slice(m[0].length)) : undefined;
}

/** Splits the body of CREATE TABLE on commas outside quotes and parentheses. */
export function splitTableBody(sql: string): string[] {
  const start = sql.indexOf("(");
  const end = sql.lastIndexOf(")");
  if (start < 0 || end < start) throw new MigrationError(`cannot read the table definition ${JSON.stringify(sql)}`);
  const body = sql.slice(start + 1, end);
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let current = "";
  for (const ch of body) {
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"' || ch === "`") quote = ch;
    else if (ch === "[") quote = "]";
    else if (ch === "(") depth++;
    else if (ch === ")") depth--;
    else if (ch === "," && depth === 0) {
      parts.push(current.trim());
      current = "";
      continue;
    }
    current += ch;
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}
