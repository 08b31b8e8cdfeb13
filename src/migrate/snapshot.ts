/**
 * A schema snapshot: the tables the models describe, as plain JSON data
 * (tables, columns, foreign keys, indexes). `migrate generate` compares the
 * models' snapshot with the one it stored last time (./diff.ts), and `status`
 * compares it with the live database (./drift.ts). Built from model metadata,
 * including the join table of every `manyToMany` relation.
 */
import type { ColumnSchema } from "../schema/column.ts";
import { getModelMetadata } from "../model/metadata.ts";
import { getRelation, relationNames } from "../model/relations/metadata.ts";
import { MigrationError } from "./errors.ts";
import { defaultName, type ForeignKeyDefinition, type IndexDefinition, type TableDefinition } from "./operations.ts";

/** The schema the models describe, as `migrate generate` stores it (tables sorted by name). */
export interface SchemaSnapshot {
  /** The format's version: 1. */
  readonly version: 1;
  /** Every table, sorted by name; foreign keys are table constraints, never a column's `references`. */
  readonly tables: readonly TableDefinition[];
}

/** A model class, as the config's `models` lists them. */
export type ModelClass = abstract new () => object;

/** The empty schema: what `generate` compares with when no snapshot was stored yet. */
export const EMPTY_SNAPSHOT: SchemaSnapshot = { version: 1, tables: [] };

/** The file name `migrate generate` stores its snapshot under, in the migrations folder. */
export const SNAPSHOT_FILE = "edgerecord.schema.json";

/** The schema the models describe: one table per model, plus the join table of each `manyToMany` relation. */
export function snapshotFromModels(models: readonly ModelClass[]): SchemaSnapshot {
  const tables = new Map<string, TableDefinition>();
  for (const model of models) {
    const meta = getModelMetadata(model as new () => object);
    const clash = tables.get(meta.table);
    if (clash) throw new MigrationError(`two models map to table ${meta.table}`);
    const foreignKeys: ForeignKeyDefinition[] = [];
    const columns = meta.tableSchema.columns.map((column) => {
      const { references, ...rest } = column;
      if (references) {
        foreignKeys.push({
          name: defaultName("fk", meta.table, [column.name]),
          columns: [column.name],
          references: { table: references.table, columns: [references.column] },
          ...(references.onDelete && { onDelete: references.onDelete }),
        });
      }
      return rest as ColumnSchema;
    });
    const indexes: IndexDefinition[] = meta.tableSchema.indexes.map((i) => ({ name: i.name, table: meta.table, columns: i.columns, unique: i.unique }));
    tables.set(meta.table, { name: meta.table, columns, foreignKeys, checks: [], indexes });
  }
  for (const model of models) {
    for (const name of relationNames(model)) {
      const relation = getRelation(model, name);
      if (relation.kind !== "manyToMany" || !relation.through) continue;
      const { table, ownerColumn, targetColumn } = relation.through;
      if (tables.has(table)) continue; // declared as a model, or by the other side of the relation
      if (ownerColumn === targetColumn) {
        throw new MigrationError(`${model.name}.${name}: join table ${table} would have two columns named ${ownerColumn}; set { foreignKey, relatedKey }`);
      }
      const ownerTable = getModelMetadata(relation.owner as new () => object).table;
      const targetTable = getModelMetadata(relation.target as new () => object).table;
      const keyColumn = (column: string, key: ColumnSchema): ColumnSchema => {
        const { references: _r, defaultValue: _d, sqlDefault: _s, enumValues: _e, ...rest } = key;
        return { ...rest, name: column, primaryKey: true, autoIncrement: false, nullable: false, unique: false };
      };
      const fk = (column: string, target: string, key: string): ForeignKeyDefinition => ({
        name: defaultName("fk", table, [column]),
        columns: [column],
        references: { table: target, columns: [key] },
        onDelete: "cascade",
      });
      tables.set(table, {
        name: table,
        columns: [keyColumn(ownerColumn, relation.ownerKey.schema), keyColumn(targetColumn, relation.targetKey.schema)],
        foreignKeys: [fk(ownerColumn, ownerTable, relation.ownerKey.column), fk(targetColumn, targetTable, relation.targetKey.column)],
        checks: [],
        // The primary key serves lookups by the owner; this one the other direction (named as Model.createJoinTables() names it).
        indexes: [{ name: `${table}_${targetColumn}_index`, table, columns: [targetColumn], unique: false }],
      });
    }
  }
  return { version: 1, tables: [...tables.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) };
}

/** The snapshot as the JSON text `generate` stores (bigint defaults kept as `{ "$bigint": "..." }`). */
export function serializeSnapshot(snapshot: SchemaSnapshot): string {
  return `${JSON.stringify(snapshot, (_k, v: unknown) => (typeof v === "bigint" ? { $bigint: v.toString() } : v), 2)}\n`;
}

/** Reads a stored snapshot's JSON text back; a MigrationError when it is not one. */
export function parseSnapshot(text: string): SchemaSnapshot {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, (_k, v: unknown) => (v && typeof v === "object" && typeof (v as { $bigint?: unknown }).$bigint === "string" ? BigInt((v as { $bigint: string }).$bigint) : v));
  } catch (error) {
    throw new MigrationError(`the schema snapshot is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const s = parsed as Partial<SchemaSnapshot>;
  if (!s || s.version !== 1 || !Array.isArray(s.tables)) throw new MigrationError("the schema snapshot is not an EdgeRecord snapshot (version 1)");
  return s as SchemaSnapshot;
}
