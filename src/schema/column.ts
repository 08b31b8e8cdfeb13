/**
 * The database-neutral description of tables, columns and indexes.
 *
 * Both the model layer (which builds these from decorators) and the dialects
 * (which turn them into DDL) speak this vocabulary, so neither needs the other.
 */

/** Every column type EdgeRecord maps; each dialect has a DDL and a value conversion for each. */
export const COLUMN_TYPES = [
  "integer",
  "bigint",
  "real",
  "decimal",
  "text",
  "varchar",
  "boolean",
  "date",
  "datetime",
  "json",
  "uuid",
  "blob",
] as const;

export type ColumnType = (typeof COLUMN_TYPES)[number];

/** A column default the database evaluates: "now" is the current timestamp, in the column's format. */
export type SqlDefault = { readonly sql: "now" };

export interface ColumnSchema {
  /** The column's name in the database. */
  readonly name: string;
  readonly type: ColumnType;
  readonly primaryKey: boolean;
  readonly autoIncrement: boolean;
  readonly nullable: boolean;
  readonly unique: boolean;
  /** varchar length. */
  readonly length?: number;
  /** decimal precision and scale. */
  readonly precision?: number;
  readonly scale?: number;
  /** A constant the DDL can carry (functions stay in the model layer and never reach DDL). */
  readonly defaultValue?: unknown;
  readonly sqlDefault?: SqlDefault;
  /** The only values a text column may hold (a CHECK constraint). */
  readonly enumValues?: readonly string[];
  /** A foreign key: the referenced table and column. */
  readonly references?: { readonly table: string; readonly column: string; readonly onDelete?: ReferentialAction };
}

export type ReferentialAction = "cascade" | "set null" | "restrict" | "no action";

export interface IndexSchema {
  readonly name: string;
  readonly columns: readonly string[];
  readonly unique: boolean;
}

export interface TableSchema {
  readonly name: string;
  readonly columns: readonly ColumnSchema[];
  readonly indexes: readonly IndexSchema[];
}
