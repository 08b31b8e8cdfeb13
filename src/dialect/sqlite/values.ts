import type { ColumnType } from "../../schema/column.ts";
import type { ValueConverter, ValueMapper } from "../dialect.ts";
import { convert, createValueMapper } from "../value-mapper.ts";

const { toBigInt, toBoolean, toBytes, toDate, toDayString, toDecimalString, toInteger, toJsonText, toNumber, toText, toUuid } = convert;

/** Integers may arrive as bigint when a statement reads with safe integers on. */
const integerFromDatabase = (v: unknown): number => (typeof v === "bigint" ? Number(v) : (v as number));

/**
 * SQLite stores booleans as 0/1, timestamps as ISO-8601 UTC text (which sorts
 * and compares correctly), calendar dates as `YYYY-MM-DD`, JSON as text, and
 * decimals as text so that no digit is lost to floating point.
 */
export const sqliteConverters: Record<ColumnType, ValueConverter> = {
  integer: { toDatabase: toInteger, fromDatabase: integerFromDatabase },
  bigint: { toDatabase: toBigInt, fromDatabase: toBigInt },
  real: { toDatabase: toNumber, fromDatabase: toNumber },
  decimal: { toDatabase: toDecimalString, fromDatabase: (v) => String(v) },
  text: { toDatabase: toText, fromDatabase: String },
  varchar: { toDatabase: toText, fromDatabase: String },
  uuid: { toDatabase: toUuid, fromDatabase: String },
  boolean: { toDatabase: (v) => (toBoolean(v) ? 1 : 0), fromDatabase: toBoolean },
  date: { toDatabase: toDayString, fromDatabase: convert.parseDay },
  datetime: { toDatabase: (v) => toDate(v).toISOString(), fromDatabase: convert.parseTimestamp },
  json: { toDatabase: toJsonText, fromDatabase: convert.fromJsonText },
  blob: { toDatabase: toBytes, fromDatabase: convert.fromBytes },
};

/** Raw-SQL parameters: SQLite has no boolean or date type, so send what the typed columns would. */
function sqliteUntyped(value: unknown): unknown {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return toBytes(value);
  return value;
}

export const sqliteValues: ValueMapper = createValueMapper(sqliteConverters, sqliteUntyped);
