/**
 * Dates and timestamps as PostgreSQL's input syntax takes them. JavaScript's
 * ISO form writes years outside 0000-9999 as `+010000` / `-000001`, which the
 * server reads as a time zone ("time zone displacement out of range"), and
 * PostgreSQL has no year 0: 1 BC follows AD 1. So years from 1 up are written
 * plainly (five digits where needed) and years 0 and below as `N BC`.
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
