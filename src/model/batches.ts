/**
 * Reading any number of rows in bounded memory: batches ordered by the
 * primary key, each read with `key > last` (keyset, not OFFSET, so a batch
 * costs the same at row 1,000,000 as at row 1). Works on every backend.
 * Inside a transaction, where the dialect has server-side cursors
 * (./server-cursor.ts), one cursor reads the query as written, in any order.
 */
import type { Condition, OrderEntry } from "../query/ast.ts";
import { ArgumentError } from "../errors.ts";
import type { ActiveRecord } from "./active-record.ts";
import type { ModelMetadata } from "./metadata.ts";
import type { ModelQuery } from "./query.ts";
import type { Session } from "../transaction/session.ts";
import { hasServerCursor, serverCursor } from "./server-cursor.ts";

/** Options of `cursor()`: how many records each query reads. */
export interface BatchOptions {
  /** Records per query; default 1000. */
  readonly batchSize?: number;
}

export async function* inBatches<T extends ActiveRecord>(session: Session, query: ModelQuery<T>, metadata: ModelMetadata, ordering: readonly OrderEntry[] | undefined, options: BatchOptions = {}): AsyncGenerator<T[], void, undefined> {
  const size = options.batchSize ?? 1000;
  if (!Number.isSafeInteger(size) || size < 1) throw new ArgumentError(`${metadata.name}: batchSize takes an integer >= 1, got ${String(size)}`);
  if (hasServerCursor(session)) return yield* serverCursor(session, query, size);
  if (metadata.primaryKey.length !== 1) throw new ArgumentError(`${metadata.name}: batches outside a transaction need a single-column primary key`);
  if (ordering?.length) {
    throw new ArgumentError(
      `${metadata.name}: batches outside a transaction are read in primary-key order; drop orderBy(), use paginateAfter() for another order` +
        (session.dialect.capabilities.serverCursors ? ", or read inside transaction() through a server-side cursor" : ""),
    );
  }
  const key = metadata.primaryKey[0]!;
  let last: unknown;
  for (;;) {
    const after: Condition | undefined = last === undefined ? undefined : { kind: "compare", column: key.column, op: ">", value: last, type: key.type };
    const batch = await (after ? query.whereCondition(after) : query).orderBy(key.property as never).limit(size).all();
    if (batch.length === 0) return;
    yield batch;
    if (batch.length < size) return;
    last = (batch[batch.length - 1] as unknown as Record<string, unknown>)[key.property];
  }
}
