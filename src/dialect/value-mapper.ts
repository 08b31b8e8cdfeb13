import type { ColumnType } from "../schema/column.ts";
import type { ValueConverter, ValueMapper } from "./dialect.ts";

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

/** Conversions every dialect shares. Each throws a TypeError that names what it expected. */
export const convert = {
  toNumber(value: unknown): number {
    if (typeof value === "number") return value;
    if (typeof value === "bigint") return Number(value);
    if (typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value))) return Number(value);
    throw new TypeError(`expected a number, got ${show(value)}`);
  },
  toInteger(value: unknown): number | bigint {
    if (typeof value === "bigint") return value;
    const n = convert.toNumber(value);
    if (!Number.isInteger(n)) throw new TypeError(`expected an integer, got ${show(value)}`);
    return n;
  },
  toBigInt(value: unknown): bigint {
    if (typeof value === "bigint") return value;
    if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
    if (typeof value === "string" && /^-?\d+$/.test(value.trim())) return BigInt(value.trim());
    throw new TypeError(`expected a bigint (or an integer number or string), got ${show(value)}`);
  },
  toDecimalString(value: unknown): string {
    if (typeof value === "string" && /^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(value.trim())) return value.trim();
    if (typeof value === "number" && Number.isFinite(value)) return String(value);
    if (typeof value === "bigint") return value.toString();
    throw new TypeError(`expected a decimal as a string or number, got ${show(value)}`);
  },
  toDate(value: unknown): Date {
    const date = value instanceof Date ? value : typeof value === "string" || typeof value === "number" ? new Date(value) : null;
    if (!date || Number.isNaN(date.getTime())) throw new TypeError(`expected a Date or an ISO date string, got ${show(value)}`);
    return date;
  },
  /** `YYYY-MM-DD` of a date, read in UTC (a `date` column holds a calendar day, not an instant). */
  toDayString(value: unknown): string {
    if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
    return convert.toDate(value).toISOString().slice(0, 10);
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
    throw new TypeError(`expected a Uint8Array or ArrayBuffer, got ${show(value)}`);
  },
  /** Driver byte values (Node Buffers, ArrayBuffers) as plain Uint8Arrays, without copying. */
  fromBytes(value: unknown): Uint8Array {
    if (value instanceof ArrayBuffer) return new Uint8Array(value);
    if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    throw new TypeError(`expected bytes from the database, got ${show(value)}`);
  },
  toJsonText(value: unknown): string {
    try {
      return JSON.stringify(value);
    } catch (error) {
      throw new TypeError(`value cannot be stored as JSON: ${(error as Error).message}`, { cause: error });
    }
  },
  fromJsonText(value: unknown): unknown {
    return typeof value === "string" ? JSON.parse(value) : value;
  },
  toText(value: unknown): string {
    if (typeof value === "string") {
      // PostgreSQL refuses NUL in text and SQLite drivers cut the string at it: refuse it before either.
      if (value.includes("\0")) throw new TypeError("text cannot contain the NUL character (\\u0000); store such data in a blob column");
      return value;
    }
    if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") return String(value);
    throw new TypeError(`expected a string, got ${show(value)}`);
  },
  toUuid(value: unknown): string {
    if (typeof value === "string" && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) {
      return value.toLowerCase();
    }
    throw new TypeError(`expected a UUID string, got ${show(value)}`);
  },
  toBoolean(value: unknown): boolean {
    if (typeof value === "boolean") return value;
    if (value === 1 || value === 0 || value === 1n || value === 0n) return value == 1;
    throw new TypeError(`expected a boolean, got ${show(value)}`);
  },
};

export function show(value: unknown): string {
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (value instanceof Date) return `Date(${Number.isNaN(value.getTime()) ? "invalid" : value.toISOString()})`;
  if (value === null || value === undefined) return String(value);
  if (typeof value === "object") return Array.isArray(value) ? "an array" : `an object (${value.constructor?.name ?? "Object"})`;
  return `${typeof value} ${String(value)}`;
}
