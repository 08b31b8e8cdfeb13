/**
 * What each column type means to the layers above the dialect, in one table.
 * It is a `Record<ColumnType, ...>`, so adding a type without saying what it
 * is fails to compile here rather than behaving as a default somewhere else.
 * (What a type is in SQL and how its values convert belong to each dialect's
 * type and value mappers; what a query operand must be, to query/operands.ts.)
 */
import type { ColumnType } from "./column.ts";

export interface ColumnTraits {
  /** Values are objects a program can change in place (Date, JSON, bytes): a record keeps its own copy to see such changes. */
  readonly mutable: boolean;
  /**
   * The database or the value mapper decides the stored form (a decimal's
   * scale, a date's day, a bigint given as a number, a UUID's case, JSON and
   * bytes as the driver returns them), so an insert reads it back.
   */
  readonly readBack: boolean;
  /** A point or day in time: takes the "now" default, autoCreate, autoUpdate and softDelete. */
  readonly temporal: boolean;
  /** A whole number: takes autoIncrement and version. */
  readonly integral: boolean;
  /** Text: takes enum values and the LIKE operators. */
  readonly textual: boolean;
}

const trait = (flags: Partial<ColumnTraits>): ColumnTraits => ({ mutable: false, readBack: false, temporal: false, integral: false, textual: false, ...flags });

export const COLUMN_TRAITS: Readonly<Record<ColumnType, ColumnTraits>> = {
  integer: trait({ integral: true }),
  bigint: trait({ integral: true, readBack: true }),
  real: trait({}),
  decimal: trait({ readBack: true }),
  text: trait({ textual: true }),
  varchar: trait({ textual: true }),
  boolean: trait({}),
  date: trait({ temporal: true, mutable: true, readBack: true }),
  datetime: trait({ temporal: true, mutable: true }),
  json: trait({ mutable: true, readBack: true }),
  uuid: trait({ readBack: true }),
  blob: trait({ mutable: true, readBack: true }),
};
