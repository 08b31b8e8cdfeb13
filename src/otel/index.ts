/**
 * `edgerecord/otel`: OpenTelemetry spans for EdgeRecord's statements, with
 * the database semantic conventions. It is a query listener (`onQuery`), so
 * with it not installed nothing runs, and `@opentelemetry/api` (an optional
 * peer dependency) is only loaded by apps that import this entry.
 *
 *   import { instrumentQueries } from "edgerecord/otel";
 *   const stop = instrumentQueries();   // the global tracer provider, or { tracerProvider } / { tracer }
 *
 * One CLIENT span per statement, named `<operation> <table>` ("SELECT users"),
 * timed from the statement's start to its answer, in the context active when
 * the statement was awaited. A failed statement's span has status ERROR, the
 * exception recorded and `error.type` set to the error's class name.
 * @module
 */
import { context, SpanKind, SpanStatusCode, trace, type Tracer } from "@opentelemetry/api";
import { onQuery, type QueryEvent } from "../transaction/events.ts";
import { queryDetails } from "../transaction/log.ts";

/** An OpenTelemetry tracer (`Tracer` from @opentelemetry/api fits), as far as this entry uses it. */
export interface TracerLike {
  /** Starts a span: OpenTelemetry's `Tracer.startSpan(name, options, context)`. */
  startSpan(name: string, options?: object, context?: object): object;
}

/** An OpenTelemetry tracer provider (`TracerProvider` from @opentelemetry/api fits, e.g. the SDK's). */
export interface TracerProviderLike {
  /** Returns a tracer: OpenTelemetry's `TracerProvider.getTracer(name, version)`. */
  getTracer(name: string, version?: string): TracerLike;
}

/** Span attributes: what `spanAttributes` returns. */
export type SpanAttributes = Record<string, string | number | boolean>;

/** Options of `instrumentQueries`. */
export interface QueryTracingOptions {
  /** The tracer to use; default: `tracerProvider`'s (or the global provider's) tracer named "edgerecord". */
  readonly tracer?: TracerLike;
  /** Where the tracer comes from when `tracer` is not given (default: the global provider). */
  readonly tracerProvider?: TracerProviderLike;
  /** Put the SQL text in `db.query.text` (default true: it has placeholders, never parameter values). */
  readonly queryText?: boolean;
}

/** The `db.system` value for an EdgeRecord dialect name: "postgresql", "sqlite" (libSQL, D1). */
export function dbSystemOf(dialect: string): string {
  return dialect === "postgres" ? "postgresql" : dialect === "d1" || dialect === "sqlite" ? "sqlite" : dialect;
}

/** The statement's operation: its first keyword, upper-cased ("SELECT", "INSERT", "WITH"...). */
export function operationOf(sql: string): string {
  return /^\s*([A-Za-z]+)/.exec(sql)?.[1]?.toUpperCase() ?? "SQL";
}

/** The span attributes of one query event, per OpenTelemetry's database semantic conventions. */
export function spanAttributes(event: QueryEvent, queryText = true): SpanAttributes {
  const system = dbSystemOf(event.system);
  const attributes: SpanAttributes = {
    "db.system": system,
    "db.system.name": system,
    "db.operation.name": operationOf(event.sql),
    "edgerecord.node": event.node,
    "edgerecord.in_transaction": event.inTransaction,
    "edgerecord.param_count": event.paramCount,
  };
  if (queryText) attributes["db.query.text"] = event.sql;
  const { table, model } = queryDetails(event);
  if (table !== undefined) attributes["db.collection.name"] = table;
  if (model !== undefined) attributes["edgerecord.model"] = model;
  if (event.rowCount !== undefined) attributes["edgerecord.row_count"] = event.rowCount;
  return attributes;
}

/** Makes a span for every statement EdgeRecord runs from now on; returns the function that stops it. */
export function instrumentQueries(options: QueryTracingOptions = {}): () => void {
  const tracer = (options.tracer ?? (options.tracerProvider ?? trace.getTracerProvider()).getTracer("edgerecord")) as Tracer;
  const queryText = options.queryText !== false;
  return onQuery((event) => {
    const end = Date.now();
    const attributes = spanAttributes(event, queryText);
    const operation = attributes["db.operation.name"];
    const table = attributes["db.collection.name"];
    const name = table === undefined ? String(operation) : `${operation} ${table}`;
    const span = tracer.startSpan(name, { kind: SpanKind.CLIENT, startTime: end - event.duration, attributes }, context.active());
    if (event.error !== undefined) {
      const error = event.error as { name?: string; message?: string };
      span.setAttribute("error.type", error?.name ?? "Error");
      span.recordException(event.error instanceof Error ? event.error : String(event.error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: error?.message ?? String(event.error) });
    }
    span.end(end);
  });
}
