import type { ColumnType } from "../../schema/column.ts";
import type { ValueConverter } from "../dialect.ts";
import { convert, createValueMapper } from "../value-mapper.ts";

const { toBigInt, toBoolean, toBytes, toDate, toDayString, toDecimalString, toInteger, toJsonText, toNumber, toText, toUuid } = convert;

/**
 * PostgreSQL: int8 arrives as text and becomes a bigint; numeric stays a
 * string (no silent precision loss); timestamptz is a Date; jsonb is parsed.
 * Values are sent as text where the server infers the column's own type.
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
  date: {
    toDatabase: toDayString,
    fromDatabase: (v) => (v instanceof Date ? v : new Date(`${String(v).slice(0, 10)}T00:00:00.000Z`)),
  },
  datetime: { toDatabase: (v) => toDate(v), fromDatabase: convert.parseTimestamp },
  json: { toDatabase: toJsonText, fromDatabase: convert.fromJsonText },
  blob: { toDatabase: toBytes, fromDatabase: convert.fromBytes },
};

function postgresUntyped(value: unknown): unknown {
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return value;
}

export const postgresValues = createValueMapper(postgresConverters, postgresUntyped);
