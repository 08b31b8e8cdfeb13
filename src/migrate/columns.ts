/**
 * The column vocabulary of migrations: the same options as the column
 * decorators (`@column.text({ unique: true })` ~ `t.text("email", { unique: true })`),
 * turned into the `ColumnSchema` the dialects' type mappers already know.
 */
import { COLUMN_TYPES, type ColumnSchema, type ColumnType, type ReferentialAction } from "../schema/column.ts";
import { MigrationError } from "./errors.ts";

/** A column's options in a migration (`t.text("email", { unique: true })`), as on the column decorators. */
export interface MigrationColumnOptions {
  /** Part of the primary key. Several columns make a composite key; `t.primaryKey([...])` says the same. */
  readonly primaryKey?: boolean;
  /** A key the database numbers itself (an integer primary key). */
  readonly autoIncrement?: boolean;
  /** NULL allowed. Default false, as on models: NOT NULL. */
  readonly nullable?: boolean;
  /** A UNIQUE constraint on this column. */
  readonly unique?: boolean;
  /** A constant, or "now" for date/datetime columns (the database fills the current time). */
  readonly default?: unknown;
  /** The maximum length of a varchar column. */
  readonly length?: number;
  /** The total number of digits of a decimal column. */
  readonly precision?: number;
  /** The digits after the decimal point of a decimal column. */
  readonly scale?: number;
  /** The allowed values of a text column (a CHECK constraint). */
  readonly enum?: readonly string[];
  /** A foreign key on this column: `"users.id"`, or the table and column with actions. */
  readonly references?: string | { readonly table: string; readonly column?: string; readonly onDelete?: ReferentialAction; readonly onUpdate?: ReferentialAction };
  /** An index on this column: true for a derived name, or the index name. */
  readonly index?: boolean | string;
}

export function columnSchema(name: string, type: ColumnType, options: MigrationColumnOptions = {}): ColumnSchema {
  if (typeof name !== "string" || name === "") throw new MigrationError("a column needs a name");
  if (!COLUMN_TYPES.includes(type)) throw new MigrationError(`column ${name}: unknown type ${JSON.stringify(type)} (known: ${COLUMN_TYPES.join(", ")})`);
  const now = options.default === "now" && (type === "date" || type === "datetime");
  return {
    name,
    type,
    primaryKey: options.primaryKey ?? false,
    autoIncrement: options.autoIncrement ?? false,
    nullable: options.nullable ?? false,
    unique: options.unique ?? false,
    ...(options.length !== undefined && { length: options.length }),
    ...(options.precision !== undefined && { precision: options.precision }),
    ...(options.scale !== undefined && { scale: options.scale }),
    ...(now ? { sqlDefault: { sql: "now" as const } } : options.default !== undefined && options.default !== null && { defaultValue: options.default }),
    ...(options.enum && { enumValues: options.enum }),
  };
}

/** The table builder's column methods: one per column type (`t.text(name, options)`, `t.integer(...)`...), each returning `R` to chain. */
export type ColumnMethods<R> = { [T in ColumnType]: (name: string, options?: MigrationColumnOptions) => R };

export function columnMethods<R>(add: (name: string, type: ColumnType, options: MigrationColumnOptions) => R): ColumnMethods<R> {
  const methods = {} as Record<ColumnType, (name: string, options?: MigrationColumnOptions) => R>;
  for (const type of COLUMN_TYPES) methods[type] = (name, options = {}) => add(name, type, options);
  return methods;
}
