/** Where model-layer queries meet a backend: compile with its dialect, run on the scope's executor. */
import type { Backend, QueryResult } from "../backend/backend.ts";
import type { CompiledQuery, Query } from "../query/ast.ts";
import { backendOf } from "./binding.ts";
import { executorFor } from "./transaction.ts";

export function execute(backend: Backend, query: Query): Promise<QueryResult> {
  return executorFor(backend).execute(backend.dialect.compile(query));
}

export function executeFor(model: object & { name: string }, query: Query): Promise<QueryResult> {
  return execute(backendOf(model), query);
}

/** Runs an already compiled statement (see statement-cache.ts) on the scope's executor. */
export function executeStatement(backend: Backend, statement: CompiledQuery): Promise<QueryResult> {
  return executorFor(backend).execute(statement);
}
