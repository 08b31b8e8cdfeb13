/** Shared by the eager loaders: keys split as the dialect binds them, and rows grouped by a key. */
import type { ColumnType } from "../../schema/column.ts";
import type { ActiveRecord } from "../active-record.ts";
import { sessionOf } from "../binding.ts";
import type { ModelClass } from "../types.ts";

/** Keys per query where a dialect binds one parameter per key: a power of two, so no padding is needed (see SqlCompiler.inList). */
const CHUNK = 1024;

/**
 * The keys in as few lists as the dialect allows. Where it binds a list of
 * this type as one parameter (`capabilities.listParameterTypes`), that is one
 * list however long; otherwise lists of a fixed size, well under the
 * statement's parameter limit, so that 100,000 parents load without a
 * "too many parameters" error and every chunk has the same statement shape.
 */
export function keyChunks(target: ModelClass<ActiveRecord>, type: ColumnType, keys: unknown[]): unknown[][] {
  const { listParameterTypes, maxParameters } = sessionOf(target).dialect.capabilities;
  if (listParameterTypes?.includes(type)) return [keys];
  // Half the limit leaves room for the query's other parameters (scopes, soft-delete filters).
  const size = Math.max(1, Math.min(CHUNK, Math.floor(maxParameters / 2)));
  const chunks: unknown[][] = [];
  for (let i = 0; i < keys.length; i += size) chunks.push(keys.slice(i, i + size));
  return chunks;
}

export function groupBy<T, V = T>(items: readonly T[], key: (item: T) => string, value: (item: T) => V = (item) => item as unknown as V): Map<string, V[]> {
  const groups = new Map<string, V[]>();
  for (const item of items) {
    const k = key(item);
    let list = groups.get(k);
    if (!list) groups.set(k, (list = []));
    list.push(value(item));
  }
  return groups;
}
