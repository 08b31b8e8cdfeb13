/**
 * What a column type takes as an operand in a condition. Checked before any
 * SQL is built, so a string for an integer column or an object for a text
 * column is refused with the model, the column and what was expected, instead
 * of being coerced by a driver or turned into something else.
 */
import type { ColumnType } from "../schema/column.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DECIMAL = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

const isDate = (v: unknown): boolean => v instanceof Date && !Number.isNaN(v.getTime());
const isText = (v: unknown): boolean => typeof v === "string";

/** Per column type: whether a value is a fitting operand, and how to say what was expected. */
const OPERANDS: Record<ColumnType, readonly [(value: unknown) => boolean, string]> = {
  integer: [(v) => Number.isSafeInteger(v) || typeof v === "bigint", "an integer"],
  bigint: [(v) => typeof v === "bigint" || Number.isSafeInteger(v), "a bigint or an integer"],
  real: [(v) => Number.isFinite(v), "a finite number"],
  decimal: [(v) => Number.isFinite(v) || typeof v === "bigint" || (typeof v === "string" && DECIMAL.test(v)), "a decimal number (a number or a numeric string)"],
  text: [isText, "a string"],
  varchar: [isText, "a string"],
  uuid: [(v) => typeof v === "string" && UUID.test(v), "a UUID string"],
  boolean: [(v) => typeof v === "boolean", "a boolean"],
  date: [isDate, "a valid Date"],
  datetime: [isDate, "a valid Date"],
  // Any JSON value compares as its JSON text; what cannot be JSON is refused by the value mapper.
  json: [(v) => v !== undefined, "a JSON value"],
  blob: [(v) => v instanceof Uint8Array, "a Uint8Array"],
};

/** Undefined when `value` fits a `type` column; else what was expected ("an integer"). */
export function operandMismatch(type: ColumnType | undefined, value: unknown): string | undefined {
  if (type === undefined) return undefined;
  const [accepts, expected] = OPERANDS[type];
  return accepts(value) ? undefined : expected;
}
