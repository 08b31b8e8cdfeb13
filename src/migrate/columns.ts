/**
 * The column vocabulary of migrations: the same options as the column
 * decorators (`@column.text({ unique: true })` ~ `t.text("email", { unique: true })`),
 * turned into the `ColumnSchema` the dialects' type mappers already know.
 */
import { COLUMN_TYPES, type ColumnSchema, type ColumnType, type ReferentialAction } from "../schema/column.ts";
import { MigrationError } from "./errors.ts";

export interface MigrationColumnOptions {
  readonly primaryKey?: boolean;
  readonly autoIncrement?: boolean;
  /** NULL allowed. Default false, as on models: NOT NULL. */
  readonly nullable?: boolean;
  readonly unique?: boolean;
  /** A constant, or "now" for date/datetime columns (the database fills the current time). */
  readonly default?: unknown;
  readonly length?: number;
  readonly precision?: number;
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

/** One method per column type, each `(name, options)`, recording into `add`. */
export type ColumnMethods<R> = { [T in ColumnType]: (name: string, options?: MigrationColumnOptions) => R };

export function columnMethods<R>(add: (name: string, type: ColumnType, options: MigrationColumnOptions) => R): ColumnMethods<R> {
  const methods = {} as Record<ColumnType, (name: string, options?: MigrationColumnOptions) => R>;
  for (const type of COLUMN_TYPES) methods[type] = (name, options = {}) => add(name, type, options);
  return methods;
}
