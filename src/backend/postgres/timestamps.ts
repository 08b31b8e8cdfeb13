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
import { parseTimestamptz, postgresTimestamp } from "../../dialect/postgres/datetime-text.ts";

// The parser lives with the dialect, which reads timestamptz text from any driver with it.
export { parseTimestamptz, timestamptzMillis } from "../../dialect/postgres/datetime-text.ts";

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
