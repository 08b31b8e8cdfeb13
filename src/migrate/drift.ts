/**
 * Drift: the models (as a schema snapshot) against the live database's
 * introspected schema (./introspect.ts): tables, columns, their types,
 * nullability and defaults, the indexes (name, columns, unique) and foreign
 * keys (columns, referenced table, ON DELETE). Only what every catalog tells
 * reliably is compared: a default's value where it is a constant the catalog
 * keeps as written (text, numbers, booleans) or "now"; for dates, JSON and
 * bytes, whether there is a default at all (PostgreSQL rewrites those
 * constants). Foreign keys are matched by their columns, not their names
 * (SQLite keeps no name for a column's REFERENCES clause).
 */
import type { Backend } from "../backend/backend.ts";
import type { Dialect } from "../dialect/dialect.ts";
import type { ColumnSchema } from "../schema/column.ts";
import type { ForeignKeyDefinition, IndexDefinition } from "./operations.ts";
import { introspectSchema, type LiveColumn, type LiveTable } from "./introspect.ts";
import type { SchemaSnapshot } from "./snapshot.ts";

/** One difference between the models and the database. */
export interface Drift {
  /** What differs. */
  readonly kind:
    | "missing table"
    | "extra table"
    | "missing column"
    | "extra column"
    | "type"
    | "nullability"
    | "default"
    | "missing index"
    | "extra index"
    | "index"
    | "missing foreign key"
    | "extra foreign key"
    | "foreign key";
  /** The table concerned. */
  readonly table: string;
  /** The column concerned, for column drift. */
  readonly column?: string;
  /** The index's name, or a foreign key's columns (comma-separated), for index and foreign key drift. */
  readonly name?: string;
  /** A sentence saying what the models expect and what the database has. */
  readonly message: string;
}

const ALIASES: Record<string, string> = {
  varchar: "character varying",
  timestamptz: "timestamp with time zone",
  int: "integer",
  int4: "integer",
  int8: "bigint",
  bool: "boolean",
  float8: "double precision",
  decimal: "numeric",
};

/** A type name in one spelling per type: lower case, no spaces in `(p, s)`, PostgreSQL's aliases resolved. */
export function normalizeType(type: string): string {
  const t = type.trim().toLowerCase().replace(/\s+/g, " ").replace(/\s*,\s*/g, ",").replace(/\s*\(\s*/g, "(").replace(/\s*\)/g, ")");
  const m = /^([a-z0-9 ]+?)(\(.*\))?$/.exec(t);
  if (!m) return t;
  return `${ALIASES[m[1]!] ?? m[1]}${m[2] ?? ""}`;
}

/** The differences between the schema the models describe and the live one; empty when they agree. */
export function compareSchema(dialect: Dialect, expected: SchemaSnapshot, live: readonly LiveTable[]): Drift[] {
  const out: Drift[] = [];
  const liveByName = new Map(live.map((t) => [t.name, t]));
  const expectedNames = new Set(expected.tables.map((t) => t.name));
  for (const table of expected.tables) {
    const actual = liveByName.get(table.name);
    if (!actual) {
      out.push({ kind: "missing table", table: table.name, message: `table ${table.name} is in the models but not in the database` });
      continue;
    }
    const columns = new Map(actual.columns.map((c) => [c.name, c]));
    for (const column of table.columns) {
      const where = `${table.name}.${column.name}`;
      const found = columns.get(column.name);
      if (!found) {
        out.push({ kind: "missing column", table: table.name, column: column.name, message: `column ${where} is in the models but not in the database` });
        continue;
      }
      const want = dialect.types.columnType(column);
      if (normalizeType(want) !== normalizeType(found.type)) {
        out.push({ kind: "type", table: table.name, column: column.name, message: `column ${where}: the models say ${want}, the database has ${found.type}` });
      }
      // SQLite reports a non-INTEGER primary key column as nullable: keys are left out of this check.
      if (!column.primaryKey && !found.primaryKey && column.nullable !== found.nullable) {
        out.push({ kind: "nullability", table: table.name, column: column.name, message: `column ${where}: the models say ${column.nullable ? "NULL" : "NOT NULL"}, the database has ${found.nullable ? "NULL" : "NOT NULL"}` });
      }
      const defaultDrift = compareDefault(dialect, column, found);
      if (defaultDrift) out.push({ kind: "default", table: table.name, column: column.name, message: `column ${where}: ${defaultDrift}` });
    }
    const modelled = new Set(table.columns.map((c) => c.name));
    for (const c of actual.columns) {
      if (!modelled.has(c.name)) out.push({ kind: "extra column", table: table.name, column: c.name, message: `column ${table.name}.${c.name} is in the database but in no model` });
    }
    out.push(...indexDrift(table.name, table.indexes, actual), ...foreignKeyDrift(table.name, table.foreignKeys, actual));
  }
  for (const t of live) {
    if (!expectedNames.has(t.name)) out.push({ kind: "extra table", table: t.name, message: `table ${t.name} is in the database but in no model` });
  }
  return out;
}

/** The default the dialect's DDL gives the column (`'free'`, `1`, `CURRENT_TIMESTAMP`), or undefined. */
function expectedDefault(dialect: Dialect, column: ColumnSchema): string | undefined {
  if (!column.sqlDefault && column.defaultValue === undefined) return undefined;
  // The definition of the column alone with its default: "<type> DEFAULT <expression>".
  const bare: ColumnSchema = { ...column, primaryKey: false, autoIncrement: false, nullable: true, unique: false, enumValues: undefined };
  const definition = dialect.types.columnDefinition(bare);
  const at = definition.indexOf(" DEFAULT ");
  return at < 0 ? undefined : definition.slice(at + " DEFAULT ".length);
}

/** Types whose constant defaults a catalog may rewrite (dates, JSON spacing, bytes): only their presence is compared. */
const PRESENCE_ONLY = new Set(["date", "datetime", "json", "blob"]);

function compareDefault(dialect: Dialect, column: ColumnSchema, found: LiveColumn): string | undefined {
  if (column.autoIncrement || found.generatedKey) return undefined;
  const want = expectedDefault(dialect, column);
  const has = found.default === undefined || /^null$/i.test(found.default.trim()) ? undefined : found.default;
  if (want === undefined && has === undefined) return undefined;
  if (want === undefined || has === undefined) {
    return `the models say ${want === undefined ? "no default" : `DEFAULT ${want}`}, the database has ${has === undefined ? "no default" : `DEFAULT ${has}`}`;
  }
  if (PRESENCE_ONLY.has(column.type) && !column.sqlDefault) return undefined;
  return defaultKey(want) === defaultKey(has) ? undefined : `the models say DEFAULT ${want}, the database has DEFAULT ${has}`;
}

/** A default expression in one spelling: outer parentheses and PostgreSQL's casts gone, a quoted constant unquoted, numbers and booleans canonical. */
function defaultKey(expression: string): string {
  let text = expression.trim();
  for (;;) {
    const before = text;
    text = text.replace(/::[a-z_][a-z0-9_ ]*(\([0-9, ]*\))?(\[\])?$/i, "").trim();
    if (wrapped(text)) text = text.slice(1, -1).trim();
    if (text === before) break;
  }
  const quoted = /^'((?:[^']|'')*)'$/s.exec(text);
  const value = quoted ? quoted[1]!.replaceAll("''", "'") : text.toLowerCase().replace(/\s+/g, " ").replace(/\s*([(),])\s*/g, "$1");
  if (/^[+-]?\d+$/.test(value)) return `n:${BigInt(value)}`;
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(value)) return `n:${Number(value)}`;
  if (!quoted && (value === "true" || value === "false")) return `n:${value === "true" ? 1 : 0}`;
  return `${quoted ? "s" : "e"}:${value}`;
}

/** Whether the whole text is one parenthesized group: `(a)`, not `(a) + (b)`. */
function wrapped(text: string): boolean {
  if (!text.startsWith("(") || !text.endsWith(")")) return false;
  let depth = 0;
  let quote = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'") quote = !quote;
    else if (!quote && ch === "(") depth++;
    else if (!quote && ch === ")" && --depth === 0 && i < text.length - 1) return false;
  }
  return depth === 0;
}

function indexDrift(table: string, expected: readonly IndexDefinition[], actual: LiveTable): Drift[] {
  const out: Drift[] = [];
  const live = new Map((actual.indexes ?? []).map((i) => [i.name, i]));
  const describe = (unique: boolean, columns: readonly (string | null)[]) => `${unique ? "UNIQUE " : ""}(${columns.map((c) => c ?? "<expression>").join(", ")})`;
  for (const index of expected) {
    const found = live.get(index.name);
    if (!found) {
      out.push({ kind: "missing index", table, name: index.name, message: `index ${index.name} ${describe(index.unique, index.columns)} on ${table} is in the models but not in the database` });
    } else if (found.unique !== index.unique || found.columns.join("\0") !== index.columns.join("\0")) {
      out.push({ kind: "index", table, name: index.name, message: `index ${index.name} on ${table}: the models say ${describe(index.unique, index.columns)}, the database has ${describe(found.unique, found.columns)}` });
    }
  }
  const modelled = new Set(expected.map((i) => i.name));
  for (const index of actual.indexes ?? []) {
    if (!modelled.has(index.name)) out.push({ kind: "extra index", table, name: index.name, message: `index ${index.name} ${describe(index.unique, index.columns)} on ${table} is in the database but in no model` });
  }
  return out;
}

function foreignKeyDrift(table: string, expected: readonly ForeignKeyDefinition[], actual: LiveTable): Drift[] {
  const out: Drift[] = [];
  const live = new Map((actual.foreignKeys ?? []).map((k) => [k.columns.join(","), k]));
  const describe = (target: string, onDelete: string) => `-> ${target} ON DELETE ${onDelete.toUpperCase()}`;
  for (const key of expected) {
    const columns = key.columns.join(",");
    const onDelete = key.onDelete ?? "no action";
    const found = live.get(columns);
    if (!found) {
      out.push({ kind: "missing foreign key", table, name: columns, message: `foreign key ${table} (${columns}) ${describe(key.references.table, onDelete)} is in the models but not in the database` });
    } else if (found.table !== key.references.table || found.onDelete !== onDelete) {
      out.push({ kind: "foreign key", table, name: columns, message: `foreign key ${table} (${columns}): the models say ${describe(key.references.table, onDelete)}, the database has ${describe(found.table, found.onDelete)}` });
    }
  }
  const modelled = new Set(expected.map((k) => k.columns.join(",")));
  for (const key of actual.foreignKeys ?? []) {
    const columns = key.columns.join(",");
    if (!modelled.has(columns)) out.push({ kind: "extra foreign key", table, name: columns, message: `foreign key ${table} (${columns}) ${describe(key.table, key.onDelete)} is in the database but in no model` });
  }
  return out;
}

/** Introspects the database and compares it with `expected` (`snapshotFromModels(models)`). */
export async function detectDrift(backend: Backend, expected: SchemaSnapshot): Promise<Drift[]> {
  return compareSchema(backend.dialect, expected, await introspectSchema(backend));
}
