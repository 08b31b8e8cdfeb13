/**
 * PostgreSQL binds an `IN` list as one array parameter, written as an array
 * literal and cast to the column's array type: `"id" = ANY($1::integer[])`.
 * One statement per query whatever the list's length, so the server does not
 * keep a prepared statement per length. The literal is built here rather than
 * left to the driver, whose array typing follows the first element's
 * JavaScript type (a bigint would make the parameter int8, not int8[]).
 */
import type { ColumnType } from "../../schema/column.ts";
import { hex } from "../hex.ts";
import { postgresTimestamp } from "./datetime-text.ts";

/** The array type each column type's list is cast to: base types, never `numeric(30, 10)[]`, which would round the values. */
export const POSTGRES_ARRAY_TYPES: Readonly<Record<ColumnType, string>> = {
  integer: "integer[]",
  bigint: "bigint[]",
  real: "double precision[]",
  decimal: "numeric[]",
  text: "text[]",
  varchar: "varchar[]",
  uuid: "uuid[]",
  boolean: "boolean[]",
  date: "date[]",
  datetime: "timestamptz[]",
  json: "jsonb[]",
  blob: "bytea[]",
};

function element(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  let text: string;
  if (value instanceof Date) text = postgresTimestamp(value);
  else if (value instanceof Uint8Array) text = `\\x${hex(value)}`;
  else if (typeof value === "boolean") text = value ? "t" : "f";
  else text = String(value);
  // Quoted, with backslashes and quotes escaped: the one form that holds any text.
  return `"${text.replace(/[\\"]/g, "\\$&")}"`;
}

/** Values already converted for PostgreSQL as an array literal: `{"1","2",NULL}`. */
export function arrayLiteral(values: readonly unknown[]): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) parts[i] = element(values[i]);
  return `{${parts.join(",")}}`;
}
