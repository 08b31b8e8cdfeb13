/**
 * Reading `timestamptz` text into Dates without `new Date(text)`.
 *
 * postgres.js parses every timestamptz with `new Date(text)`. V8's parser is
 * wrong for some of what PostgreSQL prints: years below 100 ("0099-01-01"
 * comes back as 1999), offsets with seconds (historic zones print
 * "+00:09:21", which comes back as an invalid Date) and BC dates. Reading the
 * ISO layout by character codes is right for all of them, and about a third
 * faster. Text of any other shape (a DateStyle other than ISO, "infinity")
 * still goes to `new Date(text)`, as in postgres.js.
 */
import type { PostgresType } from "postgres";
import { postgresTimestamp } from "../../dialect/postgres/datetime-text.ts";

/** Two digits at `at` as a number; negative (or over 99) when either is not a digit. */
function twoDigits(text: string, at: number): number {
  const high = text.charCodeAt(at) - 48;
  const low = text.charCodeAt(at + 1) - 48;
  return high >= 0 && high <= 9 && low >= 0 && low <= 9 ? high * 10 + low : -1;
}

/**
 * Milliseconds since the epoch for PostgreSQL's ISO timestamptz output
 * (`YYYY-MM-DD HH:MM:SS[.ffffff]+HH[:MM[:SS]][ BC]`, the year 4+ digits), or
 * NaN for text of another shape.
 */
export function timestamptzMillis(text: string): number {
  let year = 0;
  let i = 0;
  for (let code = text.charCodeAt(0); code >= 48 && code <= 57; code = text.charCodeAt(++i)) year = year * 10 + code - 48;
  if (i < 4 || text.charCodeAt(i) !== 45 || text.charCodeAt(i + 3) !== 45 || text.charCodeAt(i + 6) !== 32) return NaN;
  if (text.charCodeAt(i + 9) !== 58 || text.charCodeAt(i + 12) !== 58) return NaN;
  const month = twoDigits(text, i + 1);
  const day = twoDigits(text, i + 4);
  const hour = twoDigits(text, i + 7);
  const minute = twoDigits(text, i + 10);
  const second = twoDigits(text, i + 13);
  if (month < 1 || day < 1 || hour < 0 || minute < 0 || second < 0) return NaN;
  i += 15;

  // A Date keeps milliseconds: further fraction digits are cut, as `new Date` cuts them.
  let millis = 0;
  if (text.charCodeAt(i) === 46) {
    let scale = 100;
    for (let code = text.charCodeAt(++i); code >= 48 && code <= 57; code = text.charCodeAt(++i)) {
      millis += (code - 48) * scale;
      scale = scale > 1 ? scale / 10 : 0;
    }
  }

  const sign = text.charCodeAt(i);
  if (sign !== 43 && sign !== 45) return NaN;
  let offset = twoDigits(text, i + 1) * 3600;
  if (offset < 0) return NaN;
  i += 3;
  for (let unit = 60; unit >= 1 && text.charCodeAt(i) === 58; unit /= 60) {
    const part = twoDigits(text, i + 1);
    if (part < 0) return NaN;
    offset += part * unit;
    i += 3;
  }
  if (i === text.length - 3 && text.charCodeAt(i) === 32 && text.charCodeAt(i + 1) === 66 && text.charCodeAt(i + 2) === 67) {
    year = 1 - year; // " BC": 1 BC is year 0
  } else if (i !== text.length) {
    return NaN;
  }

  let utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  if (year >= 0 && year < 100) {
    // Date.UTC reads years 0-99 as 1900-1999; setUTCFullYear takes them as they are.
    const date = new Date(utc);
    date.setUTCFullYear(year);
    utc = date.getTime();
  }
  return utc - (sign === 45 ? -offset : offset) * 1000;
}

export function parseTimestamptz(text: string): Date {
  const millis = timestamptzMillis(text);
  return Number.isNaN(millis) ? new Date(text) : new Date(millis);
}

/**
 * The postgres.js type that reads timestamptz (OID 1184) with the parser
 * above, and writes Dates in a form the server takes for every year
 * (`toISOString()` writes BC years as `-000044`, which the server refuses).
 */
export const timestamptzType: PostgresType = {
  to: 1184,
  from: [1184],
  serialize: (value: unknown) => (typeof value === "string" ? value : postgresTimestamp(value instanceof Date ? value : new Date(value as number))),
  parse: parseTimestamptz,
};
