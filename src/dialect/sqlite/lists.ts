/**
 * SQLite binds an `IN` list as one JSON array and reads it back with
 * `json_each`, so a statement's shape and parameter count stay the same for
 * any length. Each element compares as the bound value would, because the
 * converted values are integers, text or (for blobs) hex that `unhex()` turns
 * back into bytes. REAL values are left out: SQLite's JSON parser rounds
 * some doubles differently from JavaScript (measured: 74 of 400,000 random
 * doubles came back as a neighbouring value), so they bind one by one.
 */
import type { ColumnType } from "../../schema/column.ts";
import { hex } from "../hex.ts";

export const SQLITE_LIST_TYPES: readonly ColumnType[] = ["integer", "bigint", "decimal", "text", "varchar", "uuid", "boolean", "date", "datetime", "json", "blob"];

/** The expression that turns a `json_each` value back into the column's form. */
export function listElement(type: ColumnType): string {
  return type === "blob" ? "unhex(value)" : "value";
}

/** Values already converted for SQLite (integers, bigints, text, bytes, null) as one JSON array. */
export function jsonList(values: readonly unknown[]): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    // bigint has no JSON form; its digits are a JSON integer that SQLite reads as 64-bit.
    if (typeof v === "bigint") parts[i] = v.toString();
    else if (v instanceof Uint8Array) parts[i] = `"${hex(v)}"`;
    else parts[i] = JSON.stringify(v ?? null);
  }
  return `[${parts.join(",")}]`;
}
