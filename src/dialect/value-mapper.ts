import type { ColumnType } from "../schema/column.ts";
import type { ValueConverter, ValueMapper } from "./dialect.ts";
import { QueryError, ValidationError } from "../errors.ts";
import { jsonProblem, textProblem } from "./json-value.ts";
import { show } from "../show.ts";

/**
 * A value a column type cannot take. The compiler's Emitter names the table
 * and column when it catches this; called directly, it says "a value".
 */
export function invalidValue(message: string): ValidationError {
  return new ValidationError("a value", [{ field: "", message }]);
}

/** Something the database gave back that the column type cannot read: not the caller's input, so a QueryError. */
function unreadable(message: string, cause?: unknown): QueryError {
  return new QueryError(message, { cause });
}

/** Builds a `ValueMapper` from a dialect's table of converters, one per column type. */
export function createValueMapper(
  converters: Record<ColumnType, ValueConverter>,
  toDatabaseUntyped: (value: unknown) => unknown,
): ValueMapper {
  return {
    converters,
    toDatabaseUntyped,
    toDatabase(type, value) {
      if (value === null || value === undefined) return null;
      return type ? converters[type].toDatabase(value) : toDatabaseUntyped(value);
    },
    fromDatabase(type, value) {
      if (value === null || value === undefined) return null;
      return type ? converters[type].fromDatabase(value) : value;
    },
  };
}

/** The conversions every dialect shares (the type of `convert`). */
export interface Conversions {
  /** A number from a number, bigint or numeric string. */
  toNumber(value: unknown): number;
  /** An integer (number, or bigint when given one). */
  toInteger(value: unknown): number | bigint;
  /** A bigint from a bigint, an integer number or an integer string. */
  toBigInt(value: unknown): bigint;
  /** A decimal as exact text. */
  toDecimalString(value: unknown): string;
  /** A Date from a Date, an ISO string or epoch milliseconds. */
  toDate(value: unknown): Date;
  /** `YYYY-MM-DD` of a date, read in UTC. */
  toDayString(value: unknown): string;
  /** A day as `toDayString` writes it, as UTC midnight. */
  parseDay(value: unknown): Date;
  /** A timestamp the database gave back; text with no zone is UTC. */
  parseTimestamp(value: unknown): Date;
  /** Bytes from a Uint8Array, ArrayBuffer or other view. */
  toBytes(value: unknown): Uint8Array;
  /** Driver byte values as plain Uint8Arrays, without copying. */
  fromBytes(value: unknown): Uint8Array;
  /** A JSON value as JSON text. */
  toJsonText(value: unknown): string;
  /** JSON text the database gave back, parsed. */
  fromJsonText(value: unknown): unknown;
  /** Text for a text column. */
  toText(value: unknown): string;
  /** A UUID string, lower-cased. */
  toUuid(value: unknown): string;
  /** A boolean from a boolean or 0/1. */
  toBoolean(value: unknown): boolean;
}

/** Conversions every dialect shares. Each throws a ValidationError (see `invalidValue`) that names what it expected. */
export const convert: Conversions = {
  toNumber(value: unknown): number {
    if (typeof value === "number") return value;
    if (typeof value === "bigint") return Number(value);
    if (typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value))) return Number(value);
    throw invalidValue(`expected a number, got ${show(value)}`);
  },
  toInteger(value: unknown): number | bigint {
    if (typeof value === "bigint") return value;
    const n = convert.toNumber(value);
    if (!Number.isInteger(n)) throw invalidValue(`expected an integer, got ${show(value)}`);
    return n;
  },
  toBigInt(value: unknown): bigint {
    if (typeof value === "bigint") return value;
    if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
    if (typeof value === "string" && /^-?\d+$/.test(value.trim())) return BigInt(value.trim());
    throw invalidValue(`expected a bigint (or an integer number or string), got ${show(value)}`);
  },
  toDecimalString(value: unknown): string {
    if (typeof value === "string" && /^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(value.trim())) return value.trim();
    if (typeof value === "number" && Number.isFinite(value)) return String(value);
    if (typeof value === "bigint") return value.toString();
    throw invalidValue(`expected a decimal as a string or number, got ${show(value)}`);
  },
  toDate(value: unknown): Date {
    const date = value instanceof Date ? value : typeof value === "string" || typeof value === "number" ? new Date(value) : null;
    if (!date || Number.isNaN(date.getTime())) throw invalidValue(`expected a Date or an ISO date string, got ${show(value)}`);
    return date;
  },
  /**
   * `YYYY-MM-DD` of a date, read in UTC (a `date` column holds a calendar day,
   * not an instant). Years outside 0000-9999 keep ISO's expanded form
   * (`+010000-01-01`, `-000001-01-01`), never cut to ten characters.
   */
  toDayString(value: unknown): string {
    if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
      // A day that does not exist ("2024-02-30") would be stored as text on SQLite and refused by PostgreSQL.
      const day = convert.parseDay(value);
      if (!Number.isNaN(day.getTime()) && day.toISOString().startsWith(value)) return value;
      throw invalidValue(`expected a calendar day, got ${show(value)}`);
    }
    const iso = convert.toDate(value).toISOString();
    return iso.slice(0, iso.indexOf("T"));
  },
  /** A day as `toDayString` writes it (or SQLite's `date()`), as UTC midnight. */
  parseDay(value: unknown): Date {
    if (value instanceof Date) return value;
    const text = String(value);
    const t = text.indexOf("T");
    return new Date(`${t < 0 ? text : text.slice(0, t)}T00:00:00.000Z`);
  },
  /** Parses what a database gives back for a timestamp; text with no zone is UTC. */
  parseTimestamp(value: unknown): Date {
    if (value instanceof Date) return value;
    if (typeof value === "number" || typeof value === "bigint") return new Date(Number(value));
    // The form toISOString() writes (how SQLite columns hold timestamps) needs no inspection: most reads take this path.
    if (typeof value === "string" && value.length === 24 && value.charCodeAt(23) === 90 /* Z */ && value.charCodeAt(10) === 84 /* T */) {
      return new Date(value);
    }
    const text = String(value);
    const hasZone = /(Z|[+-]\d{2}(:?\d{2})?)$/i.test(text);
    const iso = text.includes("T") ? text : text.replace(" ", "T");
    return new Date(hasZone || iso.length <= 10 ? iso : `${iso}Z`);
  },
  toBytes(value: unknown): Uint8Array {
    if (value instanceof Uint8Array) return value;
    if (value instanceof ArrayBuffer) return new Uint8Array(value);
    if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    throw invalidValue(`expected a Uint8Array or ArrayBuffer, got ${show(value)}`);
  },
  /** Driver byte values (Node Buffers, ArrayBuffers) as plain Uint8Arrays, without copying. */
  fromBytes(value: unknown): Uint8Array {
    if (value instanceof ArrayBuffer) return new Uint8Array(value);
    if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    throw unreadable(`expected bytes from the database, got ${show(value)}`);
  },
  toJsonText(value: unknown): string {
    const problem = jsonProblem(value);
    if (problem) throw invalidValue(`cannot be stored as JSON: ${problem}`);
    return JSON.stringify(value);
  },
  fromJsonText(value: unknown): unknown {
    if (typeof value !== "string") return value;
    try {
      return JSON.parse(value);
    } catch (error) {
      throw unreadable(`the database gave back text that is not JSON: ${show(value)}`, error);
    }
  },
  toText(value: unknown): string {
    if (typeof value === "string") {
      const problem = textProblem(value, "text");
      if (problem) throw invalidValue(problem);
      return value;
    }
    if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") return String(value);
    throw invalidValue(`expected a string, got ${show(value)}`);
  },
  toUuid(value: unknown): string {
    if (typeof value === "string" && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) {
      return value.toLowerCase();
    }
    throw invalidValue(`expected a UUID string, got ${show(value)}`);
  },
  toBoolean(value: unknown): boolean {
    if (typeof value === "boolean") return value;
    if (value === 1 || value === 0 || value === 1n || value === 0n) return value == 1;
    throw invalidValue(`expected a boolean, got ${show(value)}`);
  },
};

