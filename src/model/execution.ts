/**
 * Where model-layer queries meet the database: compile with the session's
 * dialect, run through the session (its transaction, or autocommit).
 */
import type { QueryResult } from "../backend/backend.ts";
import type { CompiledQuery, Query } from "../query/ast.ts";
import type { Session } from "../transaction/session.ts";
import { sessionOf } from "./binding.ts";

export function execute(session: Session, query: Query): Promise<QueryResult> {
  return session.execute(session.dialect.compile(query));
}

export function executeFor(model: object & { name: string }, query: Query): Promise<QueryResult> {
  return execute(sessionOf(model), query);
}

/** Runs an already compiled statement (see statement-cache.ts) through the session. */
export function executeStatement(session: Session, statement: CompiledQuery): Promise<QueryResult> {
  return session.execute(statement);
}
