/**
 * The difference between two schema snapshots, as migration operations: the
 * up (old -> new) and the down (new -> old, computed the same way backwards).
 * Renames are never guessed: only a hint (`users.name:full_name` for a
 * column, `people:users` for a table) makes one; otherwise a column that
 * disappears is dropped and one that appears is added, with a warning that
 * the data is lost.
 */
import type { ColumnSchema } from "../schema/column.ts";
import { RenameHintError } from "./errors.ts";
import type { ColumnChange, ForeignKeyDefinition, IndexDefinition, Operation, TableDefinition } from "./operations.ts";
import type { SchemaSnapshot } from "./snapshot.ts";

/** Renames declared by the user: never guessed. */
export interface RenameHints {
  /** Old table name -> new table name. */
  readonly tables: ReadonlyMap<string, string>;
  /** Table (its new name) -> old column name -> new column name. */
  readonly columns: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

/** The up and down of a difference, and what the user must know about it. */
export interface SchemaDiff {
  /** Old schema -> new schema. */
  readonly up: readonly Operation[];
  /** New schema -> old schema. */
  readonly down: readonly Operation[];
  /** Data that will be lost, and changes that were not generated (write them by hand). */
  readonly warnings: readonly string[];
}

/** Parses `--rename` hints: `table.column:new_column` renames a column, `old_table:new_table` a table. */
export function parseRenames(hints: readonly string[]): RenameHints {
  const tables = new Map<string, string>();
  const columnHints: [string, string, string][] = [];
  for (const hint of hints) {
    const m = /^([^.:\s]+)(?:\.([^.:\s]+))?:([^.:\s]+)$/.exec(hint);
    if (!m) throw new RenameHintError(`rename hint ${JSON.stringify(hint)}: write table.column:new_column (a column) or old_table:new_table (a table)`, hint);
    if (m[2]) columnHints.push([m[1]!, m[2], m[3]!]);
    else tables.set(m[1]!, m[3]!);
  }
  const columns = new Map<string, Map<string, string>>();
  for (const [table, from, to] of columnHints) {
    // The table may be named as it was or as it becomes.
    const key = tables.get(table) ?? table;
    const map = columns.get(key) ?? new Map<string, string>();
    map.set(from, to);
    columns.set(key, map);
  }
  return { tables, columns };
}

/** The operations taking schema `from` to schema `to` (and back), given the declared renames. */
export function diffSchemas(from: SchemaSnapshot, to: SchemaSnapshot, renames: RenameHints = { tables: new Map(), columns: new Map() }): SchemaDiff {
  const warnings: string[] = [];
  const up = oneWay(from, to, renames, warnings);
  const back = new Map([...renames.tables].map(([a, b]) => [b, a]));
  const backColumns = new Map<string, Map<string, string>>();
  for (const [table, map] of renames.columns) backColumns.set(back.get(table) ?? table, new Map([...map].map(([a, b]) => [b, a])));
  const down = oneWay(to, from, { tables: back, columns: backColumns }, []);
  return { up, down, warnings };
}

const byName = <T extends { name: string }>(items: readonly T[]) => new Map(items.map((i) => [i.name, i]));

function oneWay(from: SchemaSnapshot, to: SchemaSnapshot, renames: RenameHints, warnings: string[]): Operation[] {
  const old = byName(from.tables);
  const next = byName(to.tables);
  // A hint must name a table (column) that the difference drops and one that it adds, else it renames nothing.
  for (const [a, b] of renames.tables) {
    const hint = `${a}:${b}`;
    if (!old.has(a)) throw new RenameHintError(`rename ${hint}: there is no table ${a} in the stored snapshot`, hint);
    if (!next.has(b)) throw new RenameHintError(`rename ${hint}: no model has the table ${b}`, hint);
    if (next.has(a)) throw new RenameHintError(`rename ${hint}: a model still has the table ${a}, so it is not renamed`, hint);
    if (old.has(b)) throw new RenameHintError(`rename ${hint}: the stored snapshot already has the table ${b}`, hint);
  }
  const oldNameOf = new Map([...renames.tables].map(([a, b]) => [b, a]));
  const tableRename = (name: string) => renames.tables.get(name) ?? name;
  const columnRename = (table: string, column: string) => renames.columns.get(table)?.get(column) ?? column;

  // The old table as it is after the renames: its name, its columns', and those its keys and indexes mention.
  const renamed = (t: TableDefinition): TableDefinition => {
    const name = tableRename(t.name);
    const col = (c: string) => columnRename(name, c);
    return {
      name,
      columns: t.columns.map((c) => ({ ...c, name: col(c.name) })),
      foreignKeys: t.foreignKeys.map((fk) => {
        const target = tableRename(fk.references.table);
        return { ...fk, columns: fk.columns.map(col), references: { table: target, columns: fk.references.columns.map((c) => columnRename(target, c)) } };
      }),
      checks: t.checks,
      indexes: t.indexes.map((i) => ({ ...i, table: name, columns: i.columns.map(col) })),
    };
  };

  const kept: [TableDefinition, TableDefinition][] = [];
  const created: TableDefinition[] = [];
  for (const t of to.tables) {
    const o = old.get(oldNameOf.get(t.name) ?? t.name);
    if (o && (oldNameOf.has(t.name) || !renames.tables.has(t.name))) kept.push([o, t]);
    else created.push(t);
  }
  const keptOld = new Set(kept.map(([o]) => o.name));
  const dropped = from.tables.filter((t) => !keptOld.has(t.name));
  for (const [table, map] of renames.columns) {
    const pair = kept.find(([, t]) => t.name === table);
    if (!pair) throw new RenameHintError(`rename hint on table ${table}: it is not in both the stored snapshot and the models`, `${table}.${[...map.keys()][0] ?? ""}`);
    const has = (t: TableDefinition, column: string) => t.columns.some((c) => c.name === column);
    for (const [a, b] of map) {
      const hint = `${table}.${a}:${b}`;
      if (!has(pair[0], a)) throw new RenameHintError(`rename ${hint}: the stored snapshot has no column ${table}.${a}`, hint);
      if (!has(pair[1], b)) throw new RenameHintError(`rename ${hint}: the models have no column ${table}.${b}`, hint);
      if (has(pair[1], a)) throw new RenameHintError(`rename ${hint}: the models still have the column ${table}.${a}, so it is not renamed`, hint);
      if (has(pair[0], b)) throw new RenameHintError(`rename ${hint}: the stored snapshot already has the column ${table}.${b}`, hint);
    }
  }

  const ops: Operation[] = [];
  const later: Operation[] = [];
  for (const [o, t] of kept) {
    if (o.name !== t.name) ops.push({ op: "renameTable", from: o.name, to: t.name });
    for (const [a, b] of renames.columns.get(t.name) ?? []) ops.push({ op: "renameColumn", table: t.name, from: a, to: b });
  }
  const changes: Operation[] = [];
  for (const [o, t] of kept) {
    const r = renamed(o);
    const sameFk = (a: ForeignKeyDefinition, b: ForeignKeyDefinition) => JSON.stringify(normalFk(a)) === JSON.stringify(normalFk(b));
    const sameIndex = (a: IndexDefinition, b: IndexDefinition) => a.name === b.name && a.unique === b.unique && a.columns.join() === b.columns.join();
    const removedFks = r.foreignKeys.filter((fk) => !t.foreignKeys.some((n) => sameFk(fk, n)));
    const addedFks = t.foreignKeys.filter((fk) => !r.foreignKeys.some((n) => sameFk(fk, n)));
    const removedIdx = r.indexes.filter((i) => !t.indexes.some((n) => sameIndex(i, n)));
    const addedIdx = t.indexes.filter((i) => !r.indexes.some((n) => sameIndex(i, n)));
    for (const fk of removedFks) ops.push({ op: "dropForeignKey", table: t.name, name: fk.name });
    for (const i of removedIdx) ops.push({ op: "dropIndex", table: t.name, name: i.name });

    const oldCols = byName(r.columns);
    const newCols = byName(t.columns);
    const addedCols = t.columns.filter((c) => !oldCols.has(c.name));
    const droppedCols = r.columns.filter((c) => !newCols.has(c.name));
    for (const c of addedCols) {
      changes.push({ op: "addColumn", table: t.name, column: c });
      if (!c.nullable && c.defaultValue === undefined && !c.sqlDefault && !c.autoIncrement) {
        warnings.push(`column ${t.name}.${c.name} is added NOT NULL without a default: the migration fails if ${t.name} has rows (add a default, or backfill in the migration)`);
      }
    }
    for (const c of t.columns) {
      const before = oldCols.get(c.name);
      if (before) changes.push(...alterations(t.name, before, c, warnings));
    }
    for (const c of droppedCols) changes.push({ op: "dropColumn", table: t.name, column: c.name });
    if (droppedCols.length) {
      const hint = addedCols.length
        ? ` If ${droppedCols[0]!.name} was renamed to ${addedCols[0]!.name}, run again with --rename ${t.name}.${droppedCols[0]!.name}:${addedCols[0]!.name}.`
        : "";
      warnings.push(`DATA LOSS: column(s) ${droppedCols.map((c) => `${t.name}.${c.name}`).join(", ")} will be DROPPED with their data.${hint}`);
    }
    for (const i of addedIdx) later.push({ op: "createIndex", index: i });
    for (const fk of addedFks) later.push({ op: "addForeignKey", table: t.name, foreignKey: fk });
  }
  for (const t of dependencyOrder(created)) ops.push({ op: "createTable", table: t });
  ops.push(...changes, ...later);
  for (const t of dependencyOrder(dropped).reverse()) ops.push({ op: "dropTable", table: t.name });
  if (dropped.length) {
    const hint = created.length ? ` If ${dropped[0]!.name} was renamed to ${created[0]!.name}, run again with --rename ${dropped[0]!.name}:${created[0]!.name}.` : "";
    warnings.push(`DATA LOSS: table(s) ${dropped.map((t) => t.name).join(", ")} will be DROPPED with all their rows.${hint}`);
  }
  return ops;
}

const normalFk = (fk: ForeignKeyDefinition) => ({
  name: fk.name,
  columns: fk.columns,
  references: fk.references,
  onDelete: fk.onDelete ?? "no action",
  onUpdate: fk.onUpdate ?? "no action",
});

const sameValue = (a: unknown, b: unknown) => (typeof a === "bigint" || typeof b === "bigint" ? String(a) === String(b) : a === b);

/** The alterColumn a changed column needs; what alterColumn cannot express becomes a warning. */
function alterations(table: string, before: ColumnSchema, after: ColumnSchema, warnings: string[]): Operation[] {
  const change: { -readonly [K in keyof ColumnChange]: ColumnChange[K] } = {};
  if (before.type !== after.type || before.length !== after.length || before.precision !== after.precision || before.scale !== after.scale) {
    change.type = after.type;
    if (after.length !== undefined) change.length = after.length;
    if (after.precision !== undefined) change.precision = after.precision;
    if (after.scale !== undefined) change.scale = after.scale;
  }
  if (before.nullable !== after.nullable && !after.primaryKey) change.nullable = after.nullable;
  const where = `${table}.${after.name}`;
  if (Boolean(before.sqlDefault) !== Boolean(after.sqlDefault)) {
    warnings.push(`column ${where}: a change to or from default "now" is not generated; write it by hand`);
  } else if (!sameValue(before.defaultValue, after.defaultValue)) {
    change.default = after.defaultValue ?? null;
  }
  const notGenerated: string[] = [];
  if (before.primaryKey !== after.primaryKey) notGenerated.push("primary key");
  if (before.autoIncrement !== after.autoIncrement) notGenerated.push("autoIncrement");
  if (before.unique !== after.unique) notGenerated.push("unique (use an index with { unique: true })");
  if (JSON.stringify(before.enumValues ?? []) !== JSON.stringify(after.enumValues ?? [])) notGenerated.push("enum values");
  if (notGenerated.length) warnings.push(`column ${where}: a change of ${notGenerated.join(", ")} is not generated; write it by hand`);
  return Object.keys(change).length ? [{ op: "alterColumn", table, column: after.name, change }] : [];
}

/** Tables in an order where each comes after the tables it references (cycles keep their given order). */
function dependencyOrder(tables: readonly TableDefinition[]): TableDefinition[] {
  const names = new Set(tables.map((t) => t.name));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: TableDefinition[] = [];
  const all = byName(tables);
  const visit = (t: TableDefinition) => {
    if (done.has(t.name) || visiting.has(t.name)) return;
    visiting.add(t.name);
    for (const fk of t.foreignKeys) {
      const target = fk.references.table;
      if (target !== t.name && names.has(target)) visit(all.get(target)!);
    }
    visiting.delete(t.name);
    done.add(t.name);
    out.push(t);
  };
  for (const t of tables) visit(t);
  return out;
}
