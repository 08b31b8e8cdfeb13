/**
 * Drift: the models (as a schema snapshot) against the live database's
 * introspected schema: tables, columns, their types and nullability. The
 * catalog read differs by family (SQLite's `PRAGMA table_info`, PostgreSQL's
 * `pg_attribute`), picked by the same capability flag that picks the DDL
 * compiler (`alterColumn`: only SQLite lacks it).
 */
import type { Backend } from "../backend/backend.ts";
import type { Dialect } from "../dialect/dialect.ts";
import { LEDGER_TABLE } from "./ledger.ts";
import { LOCK_TABLE } from "./lock.ts";
import type { SchemaSnapshot } from "./snapshot.ts";

/** A column as the database describes it. */
export interface LiveColumn {
  /** The column's name. */
  readonly name: string;
  /** Its type as the catalog spells it (`VARCHAR(120)`, `character varying(120)`). */
  readonly type: string;
  /** True when NULL is allowed. */
  readonly nullable: boolean;
  /** True when part of the primary key. */
  readonly primaryKey: boolean;
}

/** A table as the database describes it. */
export interface LiveTable {
  /** The table's name. */
  readonly name: string;
  /** Its columns, in order. */
  readonly columns: readonly LiveColumn[];
}

/** One difference between the models and the database. */
export interface Drift {
  /** What differs. */
  readonly kind: "missing table" | "extra table" | "missing column" | "extra column" | "type" | "nullability";
  /** The table concerned. */
  readonly table: string;
  /** The column concerned, for column drift. */
  readonly column?: string;
  /** A sentence saying what the models expect and what the database has. */
  readonly message: string;
}

/** Tables that are the migrator's own (or the platform's), never drift. */
const INTERNAL = /^(sqlite_|_cf_|d1_migrations$)/;

/** The live schema's tables and columns (the migration ledger and lock tables, and internal tables, left out). */
export async function introspectSchema(backend: Backend): Promise<LiveTable[]> {
  const q = (name: string) => backend.dialect.quoteIdentifier(name);
  const own = new Set([LEDGER_TABLE, LOCK_TABLE]);
  if (!backend.dialect.capabilities.alterColumn) {
    const { rows } = await backend.execute({ sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", params: [], kind: "read" });
    const names = rows.map((r) => String(r.name)).filter((n) => !INTERNAL.test(n) && !own.has(n));
    const tables: LiveTable[] = [];
    for (const name of names) {
      const info = await backend.execute({ sql: `PRAGMA table_info(${q(name)})`, params: [], kind: "read" });
      tables.push({
        name,
        columns: info.rows.map((c) => ({ name: String(c.name), type: String(c.type), nullable: Number(c.notnull) === 0, primaryKey: Number(c.pk) > 0 })),
      });
    }
    return tables;
  }
  const { rows } = await backend.execute({
    sql: `SELECT c.relname AS table_name, a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS data_type, a.attnotnull AS not_null,
            EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary AND a.attnum = ANY (i.indkey)) AS primary_key
          FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
          ORDER BY c.relname, a.attnum`,
    params: [],
    kind: "read",
  });
  const tables = new Map<string, LiveColumn[]>();
  for (const r of rows) {
    const table = String(r.table_name);
    if (own.has(table)) continue;
    const list = tables.get(table) ?? [];
    list.push({ name: String(r.column_name), type: String(r.data_type), nullable: !truthy(r.not_null), primaryKey: truthy(r.primary_key) });
    tables.set(table, list);
  }
  return [...tables].map(([name, columns]) => ({ name, columns }));
}

const truthy = (v: unknown) => v === true || v === 1 || v === "t" || v === "true";

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
    }
    const modelled = new Set(table.columns.map((c) => c.name));
    for (const c of actual.columns) {
      if (!modelled.has(c.name)) out.push({ kind: "extra column", table: table.name, column: c.name, message: `column ${table.name}.${c.name} is in the database but in no model` });
    }
  }
  for (const t of live) {
    if (!expectedNames.has(t.name)) out.push({ kind: "extra table", table: t.name, message: `table ${t.name} is in the database but in no model` });
  }
  return out;
}

/** Introspects the database and compares it with `expected` (`snapshotFromModels(models)`). */
export async function detectDrift(backend: Backend, expected: SchemaSnapshot): Promise<Drift[]> {
  return compareSchema(backend.dialect, expected, await introspectSchema(backend));
}
