/**
 * Query events with model and table, the logger and slow-query helpers, and
 * `edgerecord/otel` spans checked with OpenTelemetry's in-memory span
 * exporter, on a real libSQL database (`:memory:`). No timing is asserted:
 * the slow-query cases use thresholds of 0 ms (every statement) and
 * Infinity (none).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { ActiveRecord, column, formatQueryEvent, logQueries, onSlowQuery, queryDetails, QueryError, table, type QueryEvent } from "../../src/index.ts";
import { LibsqlBackend } from "../../src/backend/libsql/index.ts";
import { instrumentQueries } from "../../src/otel/index.ts";
import { decoratorMode } from "../support/mode.ts";

@table("obs_users")
class ObsUser extends ActiveRecord {
  @column.id() id!: number;
  @column.text() name!: string;
}

describe(`observability (${decoratorMode})`, () => {
  const backend = new LibsqlBackend({ url: ":memory:" });
  beforeAll(async () => {
    ObsUser.configure(backend);
    await ObsUser.createTable();
  });
  afterAll(() => backend.disconnect());

  it("queryDetails names an event's model and table; events name the database's dialect, for reads, writes, transactions and failures", async () => {
    const events: QueryEvent[] = [];
    const off = ActiveRecord.on("query", (e) => void events.push(e));
    try {
      const ann = await ObsUser.create({ name: "Ann" });
      await ObsUser.find(ann.id);
      await ObsUser.where({ name: "Ann" }).all();
      await ObsUser.transaction(async () => {
        await ObsUser.updateWhere({ id: ann.id }, { name: "Annie" });
      });
      await ObsUser.raw('SELECT * FROM "no_such_table"').catch(() => undefined);
    } finally {
      off();
    }
    expect(events.map((e) => [e.kind, queryDetails(e).model, queryDetails(e).table, e.system, e.inTransaction, e.error === undefined])).toEqual([
      ["insert", "ObsUser", "obs_users", "sqlite", false, true],
      ["read", "ObsUser", "obs_users", "sqlite", false, true],
      ["read", "ObsUser", "obs_users", "sqlite", false, true],
      ["update", "ObsUser", "obs_users", "sqlite", true, true],
      [undefined, undefined, "no_such_table", "sqlite", false, false],
    ]);
  });

  it("takes the outermost table, not a subquery's", async () => {
    const events: QueryEvent[] = [];
    const off = ActiveRecord.on("query", (e) => void events.push(e));
    try {
      await ObsUser.raw('SELECT (SELECT count(*) FROM "sqlite_master") AS n, name FROM "obs_users" WHERE id IN (SELECT id FROM obs_users)');
      await ObsUser.raw("WITH t AS (SELECT 1 AS x FROM obs_users) SELECT x FROM t");
    } finally {
      off();
    }
    expect(events.map((e) => queryDetails(e).table)).toEqual(["obs_users", "t"]);
  });

  it("logQueries writes one line per statement, failures included; slowerThan and onSlowQuery filter by duration", async () => {
    const lines: string[] = [];
    const slow: QueryEvent[] = [];
    const stopAll = logQueries({ log: (line) => lines.push(line) });
    const stopNone = logQueries({ log: (line) => lines.push(`never: ${line}`), slowerThan: Number.POSITIVE_INFINITY });
    const stopSlow = onSlowQuery(0, (e) => void slow.push(e));
    try {
      await ObsUser.count();
      await ObsUser.raw("SELEC nonsense").catch(() => undefined);
    } finally {
      stopAll();
      stopNone();
      stopSlow();
    }
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\[edgerecord\] \d+\.\d ms primary ObsUser \(obs_users\) SELECT COUNT\(\*\).* \(0 params\)$/);
    expect(lines[1]).toMatch(/SELEC nonsense \(0 params\) FAILED: .*syntax error/);
    expect(slow.map((e) => e.sql)).toEqual([expect.stringMatching(/^SELECT COUNT/), "SELEC nonsense"]);
    expect(formatQueryEvent(slow[0]!)).toBe(lines[0]);
  });

  it("edgerecord/otel makes CLIENT spans with the database semantic conventions", async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const stop = instrumentQueries({ tracerProvider: provider });
    try {
      await ObsUser.create({ name: "Bob" });
      await ObsUser.where({ name: "Bob" }).first();
      await ObsUser.raw('SELECT * FROM "missing_table"').catch((e: unknown) => expect(e).toBeInstanceOf(QueryError));
    } finally {
      stop();
    }
    await ObsUser.count(); // after stop(): no span
    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => s.name)).toEqual(["INSERT obs_users", "SELECT obs_users", "SELECT missing_table"]);
    expect(spans.every((s) => s.kind === SpanKind.CLIENT)).toBe(true);
    expect(spans[1]!.attributes).toMatchObject({
      "db.system": "sqlite",
      "db.system.name": "sqlite",
      "db.operation.name": "SELECT",
      "db.collection.name": "obs_users",
      "db.query.text": expect.stringMatching(/^SELECT .* FROM "obs_users" WHERE "name" = \?/),
      "edgerecord.model": "ObsUser",
      "edgerecord.node": "primary",
      "edgerecord.in_transaction": false,
      "edgerecord.param_count": expect.any(Number),
    });
    expect(JSON.stringify(spans[1]!.attributes)).not.toContain("Bob"); // parameter values never leave
    expect(spans[2]!.status.code).toBe(SpanStatusCode.ERROR);
    expect(spans[2]!.attributes["error.type"]).toBe("QueryError");
    expect(spans[2]!.events.map((e) => e.name)).toEqual(["exception"]);
    await provider.shutdown();
  });
});
