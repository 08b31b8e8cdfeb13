/**
 * What a migration does, as data: the schema builder records these, the DDL
 * compiler (./ddl.ts) turns them into statements for one dialect, and a
 * reversible `change` is undone by inverting them (./reverse.ts). Keeping them
 * plain data also makes a checksum of a migration that has no source text.
 */
import type { ColumnSchema, ColumnType, ReferentialAction } from "../schema/column.ts";

/** A foreign key as an operation records it, its default name already derived. */
export interface ForeignKeyDefinition {
  /** The constraint's name; `fk_<table>_<columns>` when not given. */
  readonly name: string;
  /** The referencing columns of this table, in order. */
  readonly columns: readonly string[];
  /** The referenced table and its columns, matched to `columns` by position. */
  readonly references: { readonly table: string; readonly columns: readonly string[] };
  /** What deleting a referenced row does to the rows that reference it. */
  readonly onDelete?: ReferentialAction;
  /** What changing a referenced key does to the rows that reference it. */
  readonly onUpdate?: ReferentialAction;
}

/** A named CHECK constraint as an operation records it. */
export interface CheckDefinition {
  /** The constraint's name, by which `dropCheck` removes it. */
  readonly name: string;
  /** SQL text written by the migration's author (never user input). */
  readonly expression: string;
}

/** An index as an operation records it, its default name already derived. */
export interface IndexDefinition {
  /** The index's name; `idx_<table>_<columns>` (`uq_` when unique) when its author gave none. */
  readonly name: string;
  /** The table indexed. */
  readonly table: string;
  /** The indexed columns, in order. */
  readonly columns: readonly string[];
  /** True for a UNIQUE index. */
  readonly unique: boolean;
}

/** A table `createTable` records: its columns and every constraint and index declared with them. */
export interface TableDefinition {
  /** The table's name. */
  readonly name: string;
  /** The columns, in declaration order, as the dialects' type mappers take them. */
  readonly columns: readonly ColumnSchema[];
  /** The foreign keys, declared inside CREATE TABLE. */
  readonly foreignKeys: readonly ForeignKeyDefinition[];
  /** The CHECK constraints, declared inside CREATE TABLE. */
  readonly checks: readonly CheckDefinition[];
  /** The indexes, created by statements of their own after the table. */
  readonly indexes: readonly IndexDefinition[];
}

/** The changes `alterColumn` can make; each absent key is left as it is. */
export interface ColumnChange {
  /** The new column type; its data is converted (`USING column::type` on PostgreSQL). */
  readonly type?: ColumnType;
  /** The new maximum length, with a varchar `type`. */
  readonly length?: number;
  /** The new total number of digits, with a decimal `type`. */
  readonly precision?: number;
  /** The new digits after the decimal point, with a decimal `type`. */
  readonly scale?: number;
  /** True allows NULL; false makes the column NOT NULL (failing if a row holds NULL). */
  readonly nullable?: boolean;
  /** A constant, or null to drop the default. */
  readonly default?: unknown;
}

/** One schema change a migration records, as plain data: `op` says which, the other keys what to change. */
export type Operation =
  | { readonly op: "createTable"; readonly table: TableDefinition; readonly ifNotExists?: boolean }
  | { readonly op: "dropTable"; readonly table: string; readonly ifExists?: boolean }
  | { readonly op: "renameTable"; readonly from: string; readonly to: string }
  | { readonly op: "addColumn"; readonly table: string; readonly column: ColumnSchema }
  | { readonly op: "dropColumn"; readonly table: string; readonly column: string }
  | { readonly op: "renameColumn"; readonly table: string; readonly from: string; readonly to: string }
  | { readonly op: "alterColumn"; readonly table: string; readonly column: string; readonly change: ColumnChange }
  | { readonly op: "createIndex"; readonly index: IndexDefinition }
  | { readonly op: "dropIndex"; readonly table: string; readonly name: string }
  | { readonly op: "addForeignKey"; readonly table: string; readonly foreignKey: ForeignKeyDefinition }
  | { readonly op: "dropForeignKey"; readonly table: string; readonly name: string }
  | { readonly op: "addCheck"; readonly table: string; readonly check: CheckDefinition }
  | { readonly op: "dropCheck"; readonly table: string; readonly name: string }
  /** SQL written by hand: the text around each parameter, as `sql`-tagged fragments keep it. */
  | { readonly op: "raw"; readonly strings: readonly string[]; readonly params: readonly unknown[] };

/** The name a constraint or index gets when its author gives none: stable, so a later migration can drop it. */
export function defaultName(prefix: "fk" | "ck" | "idx" | "uq", table: string, columns: readonly string[]): string {
  return `${prefix}_${table}_${columns.join("_")}`;
}
