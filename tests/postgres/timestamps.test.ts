/**
 * timestamptz text from a real PostgreSQL server, read by EdgeRecord's
 * parser, against the instant the server itself computes (epoch
 * milliseconds). The cases are the ones `new Date(text)` gets wrong (years
 * below 100, zone offsets with seconds, BC) and the everyday ones.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PostgresBackend } from "../../src/backend/postgres/index.ts";
import { parseTimestamptz, timestamptzMillis } from "../../src/backend/postgres/timestamps.ts";
import { DATABASE_URL } from "../support/postgres.ts";

const INSTANTS = [
  "2026-11-22 04:19:10.123456+00",
  "2026-11-22 04:19:10+00",
  "1999-12-31 23:59:59.999999+00",
  "1970-01-01 00:00:00+00",
  "1969-12-31 23:59:59.9995+00",
  "2000-02-29 12:00:00.5+00",
  "0099-06-15 08:00:00+00",
  "0001-01-01 00:00:00+00",
  "1850-03-01 12:00:00+00",
  "1600-01-01 00:00:00+00",
  "0044-03-15 12:00:00+00 BC",
  "12345-01-01 00:00:00+00",
];

describe.each(["UTC", "Europe/Paris", "America/St_Johns", "Asia/Kolkata"])("timestamptz read in session zone %s", (zone) => {
  let backend: PostgresBackend;
  beforeAll(async () => {
    backend = new PostgresBackend({ url: DATABASE_URL, connection: { TimeZone: zone } });
    await backend.connect();
  });
  afterAll(() => backend.disconnect());

  it("gives the instant the server computes, for every case", async () => {
    const values = INSTANTS.map((_, i) => `($${i + 1}::text)`).join(", ");
    const { rows } = await backend.execute({
      sql: `SELECT v::timestamptz AS at, v::timestamptz::text AS text, floor(extract(epoch FROM v::timestamptz) * 1000)::float8 AS millis FROM (VALUES ${values}) AS t(v)`,
      params: INSTANTS,
    });
    expect(rows).toHaveLength(INSTANTS.length);
    for (const row of rows) {
      const at = row["at"] as Date;
      expect(at, `${String(row["text"])}`).toBeInstanceOf(Date);
      expect(at.getTime(), `${String(row["text"])}`).toBe(row["millis"]);
    }
  });
});

describe("the timestamptz parser on text of other shapes", () => {
  it("returns NaN for what it does not read, and parseTimestamptz then falls back to new Date", () => {
    for (const text of ["infinity", "-infinity", "11/22/2026 04:19:10.12 UTC", "2026-11-22T04:19:10Z", "2026-11-22 04:19:10", "2026-11-22 04:19:10+0", "2026-1x-22 04:19:10+00"]) {
      expect(timestamptzMillis(text), text).toBeNaN();
    }
    expect(parseTimestamptz("2026-11-22T04:19:10Z").toISOString()).toBe("2026-11-22T04:19:10.000Z");
    expect(Number.isNaN(parseTimestamptz("infinity").getTime())).toBe(true);
  });

  it("reads offsets with minutes and seconds, and cuts fractions to milliseconds", () => {
    expect(new Date(timestamptzMillis("2026-11-22 04:19:10.1239+05:30")).toISOString()).toBe("2026-11-21T22:49:10.123Z");
    expect(new Date(timestamptzMillis("1850-01-01 00:00:00+00:09:21")).toISOString()).toBe("1849-12-31T23:50:39.000Z");
    expect(new Date(timestamptzMillis("2026-11-22 04:19:10.5-03")).toISOString()).toBe("2026-11-22T07:19:10.500Z");
  });
});
