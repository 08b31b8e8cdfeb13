/**
 * A server-side cursor for `cursor()`/`chunk()` inside a transaction, where
 * the dialect has one (`capabilities.serverCursors`): the query is declared
 * once and read with FETCH, so it may have any order and is read from one
 * snapshot. Every step is an ordinary statement of the transaction, so the
 * loop body may run its own statements on the same connection meanwhile
 * (a protocol-level portal would hold the connection and make them wait),
 * and query events, timeouts and savepoints apply to it as to any other.
 *
 * Outside a transaction a cursor would pin one pooled connection for as long
 * as the caller iterates; batches.ts reads keyset batches there instead.
 */
import type { QueryResult } from "../backend/backend.ts";
import type { Session } from "../transaction/session.ts";
import type { ActiveRecord } from "./active-record.ts";
import type { ModelQuery } from "./query.ts";

let declared = 0;

/** Whether `cursor()` on this session reads through a server-side cursor. */
export function hasServerCursor(session: Session): boolean {
  return session.dialect.capabilities.serverCursors === true && session.transaction !== undefined;
}

export async function* serverCursor<T extends ActiveRecord>(session: Session, query: ModelQuery<T>, size: number): AsyncGenerator<T[], void, undefined> {
  const { dialect } = session;
  const name = dialect.quoteIdentifier(`edgerecord_cursor_${++declared}`);
  const compiled = dialect.compile(query.toQuery());
  await session.execute({ sql: `DECLARE ${name} NO SCROLL CURSOR FOR ${compiled.sql}`, params: compiled.params });
  let open = true;
  try {
    for (;;) {
      const result: QueryResult = await session.execute({ sql: `FETCH FORWARD ${size} FROM ${name}`, params: [], kind: "read", arrayRows: true });
      const count = result.values ? result.values.rows.length : result.rows.length;
      if (count === 0) break;
      yield await query.recordsFrom(result);
      if (count < size) break;
    }
    open = false;
    await session.execute({ sql: `CLOSE ${name}`, params: [] });
  } finally {
    // The caller stopped early (break, an error in its loop): the cursor ends now, not at commit.
    // A transaction that already failed refuses CLOSE; its cursor ends with it, and the first error is the one to report.
    if (open) await session.execute({ sql: `CLOSE ${name}`, params: [] }).catch(() => undefined);
  }
}
