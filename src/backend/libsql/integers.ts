import type { Row } from "../backend.ts";

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;

/** An integer that fits a double becomes a number; a larger one stays bigint, so none is rounded. */
export function normalizeInteger(value: number | bigint): number | bigint {
  return typeof value === "bigint" && value <= MAX_SAFE && value >= MIN_SAFE ? Number(value) : value;
}

export function normalizeIntegers(rows: Row[]): void {
  for (const row of rows) {
    for (const key in row) {
      const value = row[key];
      if (typeof value === "bigint") row[key] = normalizeInteger(value);
    }
  }
}

/** The same for rows read as arrays (raw mode). */
export function normalizeIntegerArrays(rows: unknown[][]): void {
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) {
      const value = row[i];
      if (typeof value === "bigint") row[i] = normalizeInteger(value);
    }
  }
}
