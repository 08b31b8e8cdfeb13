/**
 * What a migration does, as data: the schema builder records these, the DDL
 * compiler (./ddl.ts) turns them into statements for one dialect, and a
 * reversible `change` is undone by inverting them (./reverse.ts). Keeping them
 * plain data also makes a checksum of a migration that has no source text.
 */
import type { ColumnSchema, ColumnType, ReferentialAction } from "../schema/column.ts";

export interface ForeignKeyDefinition {
  /** The constraint's name; `fk_<table>_<columns>` when not given. */
  readonly name: string;
  readonly columns: readonly string[];
  readonly references: { readonly table: string; readonly columns: readonly string[] };
  readonly onDelete?: ReferentialAction;
  readonly onUpdate?: ReferentialAction;
}

export interface CheckDefinition {
  readonly name: string;
  /** SQL text written by the migration's author (never user input). */
  readonly expression: string;
}

export interface IndexDefinition {
  readonly name: string;
  readonly table: string;
  readonly columns: readonly string[];
  readonly unique: boolean;
}

export interface TableDefinition {
  readonly name: string;
  readonly columns: readonly ColumnSchema[];
  readonly foreignKeys: readonly ForeignKeyDefinition[];
  readonly checks: readonly CheckDefinition[];
  readonly indexes: readonly IndexDefinition[];
}

/** The changes `alterColumn` can make; each absent key is left as it is. */
export interface ColumnChange {
  readonly type?: ColumnType;
  readonly length?: number;
  readonly precision?: number;
  readonly scale?: number;
  readonly nullable?: boolean;
  /** A constant, or null to drop the default. */
  readonly default?: unknown;
}

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
