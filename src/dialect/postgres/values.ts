import type { ColumnType } from "../../schema/column.ts";
import type { ValueConverter, ValueMapper } from "../dialect.ts";
import { convert, createValueMapper } from "../value-mapper.ts";
import { parsePostgresDay, parseTimestamptz, postgresDay, postgresTimestamp } from "./datetime-text.ts";

const { toBigInt, toBoolean, toBytes, toDate, toDayString, toDecimalString, toInteger, toJsonText, toNumber, toText, toUuid } = convert;

/**
 * PostgreSQL: int8 arrives as text and becomes a bigint; numeric stays a
 * string (no silent precision loss); timestamptz is a Date.
 *
 * JSON travels as text both ways: `toDatabase` sends JSON text and
 * `fromDatabase` parses text. A backend must make its driver pass that text
 * through untouched: drivers that serialize by the server's parameter type
 * (postgres.js, PGlite) would otherwise JSON-encode the text a second time and
 * store a JSON string, and drivers that parse json results would hand over a
 * value that cannot be told apart from text (a stored JSON string "a" parses
 * to a, which is not JSON text any more).
 */
export const postgresConverters: Record<ColumnType, ValueConverter> = {
  integer: { toDatabase: toInteger, fromDatabase: toNumber },
  bigint: { toDatabase: (v) => toBigInt(v).toString(), fromDatabase: toBigInt },
  real: { toDatabase: toNumber, fromDatabase: toNumber },
  decimal: { toDatabase: toDecimalString, fromDatabase: (v) => String(v) },
  text: { toDatabase: toText, fromDatabase: String },
  varchar: { toDatabase: toText, fromDatabase: String },
  uuid: { toDatabase: toUuid, fromDatabase: String },
  boolean: { toDatabase: toBoolean, fromDatabase: toBoolean },
  // Days travel as text both ways (the backend keeps the driver from parsing them), so that BC and 5-digit years survive.
  date: {
    toDatabase: (v) => postgresDay(toDayString(v)),
    fromDatabase: (v) => (v instanceof Date ? v : parsePostgresDay(String(v))),
  },
  // Sent as text in a form the server takes for every year (a driver's toISOString() writes BC as "-000044"), read with a parser that is right for them all.
  datetime: { toDatabase: (v) => postgresTimestamp(toDate(v)), fromDatabase: (v) => (v instanceof Date ? v : parseTimestamptz(String(v))) },
  json: { toDatabase: toJsonText, fromDatabase: convert.fromJsonText },
  blob: { toDatabase: toBytes, fromDatabase: convert.fromBytes },
};

function postgresUntyped(value: unknown): unknown {
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return value;
}

export const postgresValues: ValueMapper = createValueMapper(postgresConverters, postgresUntyped);
