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

/** A column type. */
export type ColumnType = (typeof COLUMN_TYPES)[number];

/** A column default the database evaluates: "now" is the current timestamp, in the column's format. */
export type SqlDefault = { readonly sql: "now" };

/** A column as the database sees it, for DDL. */
export interface ColumnSchema {
  /** The column's name in the database. */
  readonly name: string;
  /** The column type. */
  readonly type: ColumnType;
  /** Part of the primary key. */
  readonly primaryKey: boolean;
  /** Filled by the database (auto-increment or identity). */
  readonly autoIncrement: boolean;
  /** NULL allowed. */
  readonly nullable: boolean;
  /** A UNIQUE constraint. */
  readonly unique: boolean;
  /** varchar length. */
  readonly length?: number;
  /** decimal precision and scale. */
  readonly precision?: number;
  /** decimal scale. */
  readonly scale?: number;
  /** A constant the DDL can carry (functions stay in the model layer and never reach DDL). */
  readonly defaultValue?: unknown;
  /** A default the database evaluates (`now`). */
  readonly sqlDefault?: SqlDefault;
  /** The only values a text column may hold (a CHECK constraint). */
  readonly enumValues?: readonly string[];
  /** A foreign key: the referenced table and column. */
  readonly references?: { readonly table: string; readonly column: string; readonly onDelete?: ReferentialAction };
}

/** What a foreign key does when the referenced row is deleted. */
export type ReferentialAction = "cascade" | "set null" | "restrict" | "no action";

/** An index as the database sees it. */
export interface IndexSchema {
  /** The index name. */
  readonly name: string;
  /** The indexed columns, in order. */
  readonly columns: readonly string[];
  /** A unique index. */
  readonly unique: boolean;
}

/** A table as the database sees it, for DDL. */
export interface TableSchema {
  /** The table name. */
  readonly name: string;
  /** The columns, in order. */
  readonly columns: readonly ColumnSchema[];
  /** The indexes. */
  readonly indexes: readonly IndexSchema[];
}
