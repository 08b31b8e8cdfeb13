/**
 * A parent table's rebuild where foreign keys cannot be switched off (D1).
 *
 * D1 runs a migration as one batch, inside a transaction, where
 * `PRAGMA foreign_keys = OFF` is a no-op; `PRAGMA defer_foreign_keys = ON`
 * (which leads every batch) defers the checks, and makes RESTRICT wait like
 * NO ACTION, but ON DELETE CASCADE / SET NULL / SET DEFAULT still run: the
 * `DROP TABLE` of the old parent is an implicit DELETE of all its rows.
 *
 * So the rows that could be reached are set aside first. Every table that
 * references the parent, directly or through other such tables, with any
 * action (the "kept" tables), is copied into `_edgerecord_keep_<table>`
 * (rowid included), its triggers are dropped and its rows deleted, leaves
 * first, so that when the parent is dropped no row references it and nothing
 * fires. After the rebuild the kept rows go back, parents first, with their
 * rowids, and the triggers are recreated: no user trigger sees the move. The
 * deferred checks run at the end of the batch, when every row is back.
 */
import type { CompiledQuery } from "../query/ast.ts";
import { ddl, type SchemaReader } from "./ddl.ts";

/** A table whose rows are set aside around the rebuild. */
interface KeptTable {
  readonly name: string;
  /** The stored columns (generated and hidden ones are computed again, never copied). */
  readonly columns: readonly string[];
  /** How to name the rowid (`rowid`, `_rowid_` or `oid`, whichever no column shadows); undefined for a WITHOUT ROWID table. Copied even when an INTEGER PRIMARY KEY aliases it (the same value twice is harmless; telling an alias apart has quirks). */
  readonly rowid: string | undefined;
  /** Its triggers, recreated after the rows are back. */
  readonly triggers: readonly { readonly name: string; readonly sql: string }[];
}

/** The statements around a rebuild, and the tables they set aside (in deleting order). */
export interface KeptRows {
  readonly tables: readonly string[];
  readonly before: CompiledQuery[];
  readonly after: CompiledQuery[];
}

const KEPT_ROWID = "_edgerecord_rowid";
export const keepTableOf = (table: string): string => `_edgerecord_keep_${table}`;

/** Which tables reference which: child -> the tables its foreign keys name (lower case, as SQLite compares names). */
export async function referencesOf(reader: SchemaReader, q: (name: string) => string): Promise<Map<string, { name: string; parents: Set<string> }>> {
  const tables = await reader.read({
    sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\'",
    params: [],
    kind: "read",
  });
  const out = new Map<string, { name: string; parents: Set<string> }>();
  for (const { name } of tables) {
    const keys = await reader.read({ sql: `PRAGMA foreign_key_list(${q(String(name))})`, params: [], kind: "read" });
    out.set(String(name).toLowerCase(), { name: String(name), parents: new Set(keys.map((k) => String(k.table).toLowerCase())) });
  }
  return out;
}

/**
 * The tables whose rows dropping `parent` could reach, in deleting order
 * (a table before the tables it references, where there is no cycle; in a
 * cycle any order is safe, since every table of the cycle is kept whole).
 */
export function reachableFrom(parent: string, references: Map<string, { name: string; parents: Set<string> }>): string[] {
  const root = parent.toLowerCase();
  const reached = new Set<string>([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [child, { parents }] of references) {
      if (!reached.has(child) && [...parents].some((p) => reached.has(p))) {
        reached.add(child);
        grew = true;
      }
    }
  }
  reached.delete(root);
  const order: string[] = [];
  const left = new Set(reached);
  while (left.size > 0) {
    // A leaf: no other table still holding rows references it.
    const leaf = [...left].find((t) => ![...left].some((other) => other !== t && references.get(other)!.parents.has(t))) ?? [...left][0]!;
    order.push(references.get(leaf)!.name);
    left.delete(leaf);
  }
  return order;
}

/** Reads what keeping `table` needs: its stored columns, its rowid, its triggers. */
async function describe(table: string, reader: SchemaReader, q: (name: string) => string): Promise<KeptTable> {
  const [master] = await reader.read({ sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", params: [table], kind: "read" });
  const info = await reader.read({ sql: `PRAGMA table_xinfo(${q(table)})`, params: [], kind: "read" });
  // hidden: 0 a stored column; 1 a virtual table's hidden column; 2 and 3 generated (computed again on insert).
  const stored = info.filter((c) => Number(c.hidden ?? 0) === 0);
  const withoutRowid = /\)\s*(strict\s*,\s*)?without\s+rowid\b/i.test(String(master?.sql ?? ""));
  const names = new Set(info.map((c) => String(c.name).toLowerCase()));
  const rowid = withoutRowid ? undefined : ["rowid", "_rowid_", "oid"].find((n) => !names.has(n));
  const triggers = await reader.read({ sql: "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name", params: [table], kind: "read" });
  return { name: table, columns: stored.map((c) => String(c.name)), rowid, triggers: triggers.map((t) => ({ name: String(t.name), sql: String(t.sql) })) };
}

/** The statements that set the rows of `tables` (in deleting order) aside before a rebuild, and put them back after it. */
export async function keepRows(tables: readonly string[], reader: SchemaReader, q: (name: string) => string): Promise<KeptRows> {
  const kept = await Promise.all(tables.map((t) => describe(t, reader, q)));
  const list = (t: KeptTable) => t.columns.map(q).join(", ");
  const before: CompiledQuery[] = [];
  const after: CompiledQuery[] = [];
  for (const t of kept) {
    const rowid = t.rowid ? `${t.rowid} AS ${q(KEPT_ROWID)}, ` : "";
    before.push(ddl(`CREATE TABLE ${q(keepTableOf(t.name))} AS SELECT ${rowid}${list(t)} FROM ${q(t.name)}`));
    for (const trigger of t.triggers) before.push(ddl(`DROP TRIGGER ${q(trigger.name)}`));
  }
  for (const t of kept) before.push({ sql: `DELETE FROM ${q(t.name)}`, params: [], kind: "delete" });
  for (const t of [...kept].reverse()) {
    const rowid = t.rowid ? [`${t.rowid}, `, `${q(KEPT_ROWID)}, `] : ["", ""];
    after.push({ sql: `INSERT INTO ${q(t.name)} (${rowid[0]}${list(t)}) SELECT ${rowid[1]}${list(t)} FROM ${q(keepTableOf(t.name))}`, params: [], kind: "insert" });
  }
  for (const t of kept) after.push(ddl(`DROP TABLE ${q(keepTableOf(t.name))}`));
  for (const t of kept) for (const trigger of t.triggers) after.push(ddl(trigger.sql));
  return { tables, before, after };
}
