/**
 * Ready-made query listeners (a logger, a slow-query threshold) and
 * `queryDetails`, which names an event's table and model. Plain functions
 * over `onQuery` (./events.ts), kept out of the event itself so that an app
 * that uses none of them bundles none of them: the core's cost per statement
 * stays one flag check, and its size does not grow.
 */
import { onQuery, type QueryEvent, type QueryListener } from "./events.ts";
import { modelsByTable } from "../model/table-models.ts";

/** What `queryDetails` finds in a query event. */
export interface QueryDetails {
  /** The table the statement is about (its outermost FROM, INTO or UPDATE), when the text names one. */
  readonly table?: string;
  /** The name of the model class stored in that table, when a model with that table was used. */
  readonly model?: string;
}

/** Parentheses, quoted text, and the keyword that names a statement's table with the name after it. */
const TOKENS = /[()]|'(?:[^']|'')*'|\b(?:FROM|INTO|UPDATE)\s+("(?:[^"]|"")+"|`[^`]+`|[\w.$]+)/gi;

/** The table and model of a statement: the first FROM, INTO or UPDATE outside parentheses (subqueries, CTE bodies). */
export function queryDetails(event: Pick<QueryEvent, "sql">): QueryDetails {
  let depth = 0;
  for (const [token, name] of event.sql.matchAll(TOKENS)) {
    if (token === "(") depth++;
    else if (token === ")") depth--;
    else if (name && depth === 0) {
      const table = /^["`]/.test(name) ? name.slice(1, -1).replace(/""/g, '"') : name;
      const model = modelsByTable.get(table);
      return model === undefined ? { table } : { table, model };
    }
  }
  return {};
}

/** Options of `logQueries`. */
export interface QueryLogOptions {
  /** Where each line goes (default `console.log`; failures go to `console.error` when `log` is not given). */
  readonly log?: (line: string) => void;
  /** Log only statements that took at least this many milliseconds (default: every statement). */
  readonly slowerThan?: number;
}

/** One line for an event: duration, node, model and table, SQL, parameter count, and the error if any. */
export function formatQueryEvent(event: QueryEvent): string {
  const { table, model } = queryDetails(event);
  const where = model ? `${model} (${table})` : (table ?? "-");
  const failure = event.error === undefined ? "" : ` FAILED: ${(event.error as { message?: string })?.message ?? String(event.error)}`;
  const tx = event.inTransaction ? " in transaction" : "";
  return `[edgerecord] ${event.duration.toFixed(1)} ms ${event.node}${tx} ${where} ${event.sql} (${event.paramCount} params)${failure}`;
}

/** Logs every statement (or each slower than `slowerThan` ms) as one line; returns the function that stops it. */
export function logQueries(options: QueryLogOptions = {}): () => void {
  const { log, slowerThan = 0 } = options;
  return onQuery((event) => {
    if (event.duration < slowerThan) return;
    const line = formatQueryEvent(event);
    if (log) log(line);
    else if (event.error === undefined) console.log(line);
    else console.error(line);
  });
}

/** Calls `listener` for each statement that took at least `ms` milliseconds (failed ones included); returns the function that stops it. */
export function onSlowQuery(ms: number, listener: QueryListener): () => void {
  return onQuery((event) => {
    if (event.duration >= ms) listener(event);
  });
}
