/**
 * Dates and timestamps as PostgreSQL's input syntax takes them. JavaScript's
 * ISO form writes years outside 0000-9999 as `+010000` / `-000001`, which the
 * server reads as a time zone ("time zone displacement out of range"), and
 * PostgreSQL has no year 0: 1 BC follows AD 1. So years from 1 up are written
 * plainly (five digits where needed) and years 0 and below as `N BC`.
 *
 * Reading goes the other way without `new Date(text)`, which is wrong for
 * years below 100 ("0099" becomes 1999), offsets with seconds and BC: the
 * value mapper reads text from any driver with these parsers, and
 * PostgresBackend has postgres.js use them too (../../backend/postgres/timestamps.ts).
 */

/** `YYYY[Y...]` for AD years, or the BC year with its suffix to append. */
function year(astronomical: number): { digits: string; era: string } {
  if (astronomical > 0) return { digits: String(astronomical).padStart(4, "0"), era: "" };
  return { digits: String(1 - astronomical).padStart(4, "0"), era: " BC" };
}

/** A `date` value from a day string `toDayString` made (`2024-05-06`, `+010000-01-01`, `-000001-01-01`). */
export function postgresDay(day: string): string {
  const dash = day.indexOf("-", 1);
  const { digits, era } = year(Number(day.slice(0, dash)));
  return `${digits}${day.slice(dash)}${era}`;
}

/** A `timestamptz` value in UTC with milliseconds: `2024-05-06T07:08:09.010Z`, `0044-03-15T12:00:00.000Z BC`. */
export function postgresTimestamp(date: Date): string {
  const iso = date.toISOString();
  // The common case needs no rewriting.
  if (iso.charCodeAt(4) === 45 /* - */ && iso.charCodeAt(0) !== 48 /* not year 0xxx: 0000 is 1 BC */) return iso;
  const t = iso.indexOf("T");
  return postgresDay(iso.slice(0, t)).replace(/( BC)?$/, `${iso.slice(t)}$1`);
}

/** Reads PostgreSQL's `date` output (`2024-05-06`, `10000-01-01`, `0002-01-01 BC`) as UTC midnight. */
export function parsePostgresDay(text: string): Date {
  const bc = text.endsWith(" BC");
  const body = bc ? text.slice(0, -3) : text;
  const dash = body.indexOf("-");
  const yearNumber = Number(body.slice(0, dash));
  const date = new Date(`2000${body.slice(dash)}T00:00:00.000Z`);
  // Set the year separately: Date parsing takes neither 5-digit nor BC years, nor years below 100 from Date.UTC.
  date.setUTCFullYear(bc ? 1 - yearNumber : yearNumber);
  return date;
}

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
