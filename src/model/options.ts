import type { ZodSchemaLike } from "./schema-types.ts";
import type { ColumnType, ReferentialAction } from "../schema/column.ts";
import type { NamingStrategy } from "./naming.ts";

/** What `@column(...)` and its shorthands accept. */
export interface ColumnOptions {
  /** Required on `@column({...})`; implied by the shorthands (`@column.text()`). */
  readonly type?: ColumnType;
  /** The column's name in the database; by default the naming strategy derives it from the property. */
  readonly name?: string;
  /** Part of the primary key. */
  readonly primaryKey?: boolean;
  /** A database-generated key (INTEGER PRIMARY KEY AUTOINCREMENT, IDENTITY). */
  readonly autoIncrement?: boolean;
  /** NULL allowed. Default false: the DDL says NOT NULL and validation requires a value. */
  readonly nullable?: boolean;
  /** A UNIQUE constraint. */
  readonly unique?: boolean;
  /**
   * A value used when a new record leaves the attribute unset: a constant, a
   * function called per record, or "now" for date/datetime columns (also the
   * DDL default). Constants are also written into the DDL.
   */
  readonly default?: unknown;
  /** varchar length (also enforced by validation). */
  readonly length?: number;
  /** decimal precision and scale. */
  readonly precision?: number;
  /** decimal scale. */
  readonly scale?: number;
  /** An extra zod schema (classic `zod` or `zod/mini`) the value must pass, after the column type's own check. */
  readonly validate?: ZodSchemaLike;
  /** Create an index on this column: true for a derived name, or the index name. */
  readonly index?: boolean | string;
  /** Left out of `toJSON()` (password hashes, tokens). */
  readonly hidden?: boolean;
  /**
   * Not assignable from input (`isAdmin`, `role`, `ownerId`): `create`,
   * `assign`, `insertMany`, `upsert`, `updateWhere` and the like refuse it
   * unless called with `{ allowGuarded: true }`, and the request-body schemas
   * (`Model.insertSchema()`, `Model.updateSchema()`) leave it out. Plain
   * property assignment (`user.isAdmin = true`) still sets it.
   */
  readonly guarded?: boolean;
  /** The allowed values of a text column: validated, and a CHECK constraint in the DDL. */
  readonly enum?: readonly string[];
  /** Set to the current time when the record is inserted (datetime columns). */
  readonly autoCreate?: boolean;
  /** Set to the current time whenever the record is inserted or updated (datetime columns). */
  readonly autoUpdate?: boolean;
  /** Marks the soft-delete column: `delete()` sets it, queries skip rows where it is set. */
  readonly softDelete?: boolean;
  /** Marks the optimistic-locking version column: each update checks and increments it. */
  readonly version?: boolean;
  /** A foreign key to another table's column. */
  readonly references?: { readonly table: string; readonly column?: string; readonly onDelete?: ReferentialAction };
}

/** An index over several attributes, in `@table(name, { indexes })`. */
export interface IndexOptions {
  /** Properties (attribute names) in index order. */
  readonly columns: readonly string[];
  /** A unique index. */
  readonly unique?: boolean;
  /** The index name (derived from table and columns by default). */
  readonly name?: string;
}

/** What `@table(name, options)` accepts. */
export interface TableOptions {
  /** How property names become column names (default: snake_case). */
  readonly naming?: NamingStrategy;
  /** Indexes over several attributes. */
  readonly indexes?: readonly IndexOptions[];
  /**
   * How records read from the database are made.
   * - `"constructor"` (the default): `new Model()`, then the row's values. Field
   *   initializers, `#private` members and constructor code apply to loaded
   *   records as to new ones.
   * - `"prototype"`: from the model's prototype, without running the
   *   constructor; several times cheaper per record (see docs/benchmarks.md).
   *   For models whose instances hold nothing but columns and relations: on
   *   the first load EdgeRecord constructs one record to check, and refuses
   *   the option if the constructor set any other property. It cannot see
   *   `#private` members, which loaded records would lack. Records made with
   *   `new` or `create` always run the constructor.
   */
  readonly hydration?: "constructor" | "prototype";
}
