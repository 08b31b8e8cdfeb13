/**
 * A D1 binding reached over HTTP (see entries/d1-http.ts), for the edge
 * runtime, whose only I/O is fetch. It implements exactly the binding surface
 * D1Backend uses; values travel as JSON, so byte arrays are not supported.
 */
import type { D1Database, D1PreparedStatement, D1Result } from "../../../src/backend/d1/index.ts";

export function d1OverHttp(url: string): D1Database {
  const post = async (statements: { sql: string; params: unknown[] }[], batch: boolean): Promise<D1Result[]> => {
    const response = await fetch(url, { method: "POST", body: JSON.stringify({ statements, batch }) });
    const body = (await response.json()) as D1Result[] | { error: string };
    if ("error" in body) throw new Error(body.error);
    return body;
  };
  const statement = (sql: string, params: unknown[]): D1PreparedStatement & { sql: string; params: unknown[] } => ({
    sql,
    params,
    bind: (...values: unknown[]) => statement(sql, values),
    all: async <T>() => (await post([{ sql, params }], false))[0] as D1Result<T>,
  });
  return {
    prepare: (sql) => statement(sql, []),
    batch: async <T>(statements: D1PreparedStatement[]) =>
      (await post((statements as ReturnType<typeof statement>[]).map(({ sql, params }) => ({ sql, params })), true)) as D1Result<T>[],
  };
}
