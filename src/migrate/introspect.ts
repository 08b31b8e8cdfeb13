/**
 * The live schema as the database's catalog describes it, for drift
 * (./drift.ts): tables, columns (type, nullability, default), the indexes
 * made by CREATE INDEX, and foreign keys. SQLite-family databases (libSQL,
 * D1) answer through PRAGMAs, PostgreSQL through `pg_catalog`; which one is
 * picked by the capability flag that picks the DDL compiler (`alterColumn`:
 * only SQLite lacks it). Indexes that back a key or a UNIQUE constraint are
 * left out: they come with the column, not from an index of the models.
 */
import type { Backend } from "../backend/backend.ts";
import { LEDGER_TABLE } from "./ledger.ts";
import { LOCK_TABLE } from "./lock.ts";

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
  /** The default expression as the catalog spells it (`'free'`, `'free'::text`, `CURRENT_TIMESTAMP`); undefined when none. */
  readonly default?: string;
  /** True for a key the database numbers itself (IDENTITY, serial): its default is not the models' business. */
  readonly generatedKey?: boolean;
}

/** An index made by CREATE INDEX, as the database describes it. */
export interface LiveIndex {
  /** The index's name. */
  readonly name: string;
  /** The indexed columns, in order; null for an expression. */
  readonly columns: readonly (string | null)[];
  /** True for a UNIQUE index. */
  readonly unique: boolean;
}

/** A foreign key as the database describes it. */
export interface LiveForeignKey {
  /** The referencing columns, in order. */
  readonly columns: readonly string[];
  /** The referenced table. */
  readonly table: string;
  /** The ON DELETE action, lower case (`no action`, `cascade`, `set null`, `set default`, `restrict`). */
  readonly onDelete: string;
}

/** A table as the database describes it. */
export interface LiveTable {
  /** The table's name. */
  readonly name: string;
  /** Its columns, in order. */
  readonly columns: readonly LiveColumn[];
  /** Its CREATE INDEX indexes (not those behind a key or UNIQUE constraint). */
  readonly indexes?: readonly LiveIndex[];
  /** Its foreign keys. */
  readonly foreignKeys?: readonly LiveForeignKey[];
}

/** Tables that are the migrator's own (or the platform's), never drift. */
const INTERNAL = /^(sqlite_|_cf_|d1_migrations$)/;
const OWN = new Set([LEDGER_TABLE, LOCK_TABLE]);

/** The live schema's tables (the migration ledger and lock tables, and internal tables, left out). */
export async function introspectSchema(backend: Backend): Promise<LiveTable[]> {
  return backend.dialect.capabilities.alterColumn ? postgresSchema(backend) : sqliteSchema(backend);
}

const read = async (backend: Backend, sql: string) => (await backend.execute({ sql, params: [], kind: "read" })).rows;

async function sqliteSchema(backend: Backend): Promise<LiveTable[]> {
  const q = (name: string) => backend.dialect.quoteIdentifier(name);
  const rows = await read(backend, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
  const names = rows.map((r) => String(r.name)).filter((n) => !INTERNAL.test(n) && !OWN.has(n));
  const tables: LiveTable[] = [];
  for (const name of names) {
    const info = await read(backend, `PRAGMA table_info(${q(name)})`);
    const columns = info.map((c) => ({
      name: String(c.name),
      type: String(c.type),
      nullable: Number(c.notnull) === 0,
      primaryKey: Number(c.pk) > 0,
      ...(c.dflt_value !== null && c.dflt_value !== undefined && { default: String(c.dflt_value) }),
      // The rowid alias numbers itself; only an INTEGER PRIMARY KEY is one.
      ...(Number(c.pk) > 0 && String(c.type).toUpperCase() === "INTEGER" && info.filter((k) => Number(k.pk) > 0).length === 1 && { generatedKey: true }),
    }));
    const indexes: LiveIndex[] = [];
    // origin "c": made by CREATE INDEX ("u" backs a UNIQUE constraint, "pk" the primary key).
    for (const index of (await read(backend, `PRAGMA index_list(${q(name)})`)).filter((i) => i.origin === "c")) {
      const parts = await read(backend, `PRAGMA index_info(${q(String(index.name))})`);
      const ordered = [...parts].sort((a, b) => Number(a.seqno) - Number(b.seqno));
      indexes.push({ name: String(index.name), unique: Number(index.unique) === 1, columns: ordered.map((p) => (p.name === null ? null : String(p.name))) });
    }
    const byId = new Map<number, { columns: string[]; table: string; onDelete: string }>();
    for (const k of [...(await read(backend, `PRAGMA foreign_key_list(${q(name)})`))].sort((a, b) => Number(a.id) - Number(b.id) || Number(a.seq) - Number(b.seq))) {
      const key = byId.get(Number(k.id)) ?? { columns: [], table: String(k.table), onDelete: String(k.on_delete).toLowerCase() };
      key.columns.push(String(k.from));
      byId.set(Number(k.id), key);
    }
    tables.push({ name, columns, indexes, foreignKeys: [...byId.values()] });
  }
  return tables;
}

const truthy = (v: unknown) => v === true || v === 1 || v === "t" || v === "true";

/** pg_constraint.confdeltype -> the action's name. */
const PG_ACTIONS: Record<string, string> = { a: "no action", r: "restrict", c: "cascade", n: "set null", d: "set default" };

async function postgresSchema(backend: Backend): Promise<LiveTable[]> {
  const columns = await read(
    backend,
    `SELECT c.relname AS table_name, a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS data_type, a.attnotnull AS not_null,
       EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary AND a.attnum = ANY (i.indkey)) AS primary_key,
       CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END AS default_value,
       (a.attidentity <> '' OR pg_get_expr(d.adbin, d.adrelid) LIKE 'nextval(%') AS generated_key
     FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
     ORDER BY c.relname, a.attnum`,
  );
  // One row per indexed column; indexes behind a constraint (primary key, UNIQUE, exclusion) left out.
  const indexColumns = await read(
    backend,
    `SELECT t.relname AS table_name, i.relname AS index_name, x.indisunique AS is_unique, k.n AS position, a.attname AS column_name
     FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace ns ON ns.oid = t.relnamespace
       CROSS JOIN LATERAL unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
       LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
     WHERE ns.nspname = current_schema() AND NOT x.indisprimary AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
     ORDER BY t.relname, i.relname, k.n`,
  );
  const keyColumns = await read(
    backend,
    `SELECT t.relname AS table_name, c.conname AS name, r.relname AS ref_table, c.confdeltype::text AS on_delete, k.n AS position, a.attname AS column_name
     FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace ns ON ns.oid = t.relnamespace JOIN pg_class r ON r.oid = c.confrelid
       CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, n)
       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
     WHERE ns.nspname = current_schema() AND c.contype = 'f'
     ORDER BY t.relname, c.conname, k.n`,
  );
  const tables = new Map<string, { columns: LiveColumn[]; indexes: Map<string, { name: string; unique: boolean; columns: (string | null)[] }>; keys: Map<string, LiveForeignKey & { columns: string[] }> }>();
  const table = (name: string) => {
    let t = tables.get(name);
    if (!t) tables.set(name, (t = { columns: [], indexes: new Map(), keys: new Map() }));
    return t;
  };
  for (const r of columns) {
    if (OWN.has(String(r.table_name))) continue;
    table(String(r.table_name)).columns.push({
      name: String(r.column_name),
      type: String(r.data_type),
      nullable: !truthy(r.not_null),
      primaryKey: truthy(r.primary_key),
      ...(r.default_value !== null && r.default_value !== undefined && { default: String(r.default_value) }),
      ...(truthy(r.generated_key) && { generatedKey: true }),
    });
  }
  for (const r of indexColumns) {
    if (!tables.has(String(r.table_name))) continue;
    const indexes = table(String(r.table_name)).indexes;
    const index = indexes.get(String(r.index_name)) ?? { name: String(r.index_name), unique: truthy(r.is_unique), columns: [] };
    index.columns.push(r.column_name === null ? null : String(r.column_name));
    indexes.set(index.name, index);
  }
  for (const r of keyColumns) {
    if (!tables.has(String(r.table_name))) continue;
    const keys = table(String(r.table_name)).keys;
    const key = keys.get(String(r.name)) ?? { columns: [], table: String(r.ref_table), onDelete: PG_ACTIONS[String(r.on_delete)] ?? String(r.on_delete) };
    key.columns.push(String(r.column_name));
    keys.set(String(r.name), key);
  }
  return [...tables].map(([name, t]) => ({ name, columns: t.columns, indexes: [...t.indexes.values()], foreignKeys: [...t.keys.values()] }));
}
