/** Remote databases (`libsql://`, `https://`, `wss://`) and forced client mode, through `@libsql/client`. */
import type { Client, InStatement, ResultSet, Transaction as ClientTransaction } from "@libsql/client";
import type { CompiledQuery } from "../../query/ast.ts";
import type { QueryResult, Row } from "../backend.ts";
import { isLocalUrl, type LibsqlConfig } from "./config.ts";
import { isWrite } from "../statement-kind.ts";
import { normalizeInteger, normalizeIntegers } from "./integers.ts";

export class RemoteConnection {
  private constructor(readonly client: Client) {}

  static async open(config: LibsqlConfig): Promise<RemoteConnection> {
    // Imported here, not at the top: a Node app on a local file (the native engine) never loads the client
    // (~90 ms of CPU in a fresh process); bundlers keep this import in the same bundle.
    const { createClient } = await import("@libsql/client");
    const client = createClient({
      url: config.url,
      ...(config.authToken ? { authToken: config.authToken } : {}),
      ...(config.syncUrl ? { syncUrl: config.syncUrl } : {}),
      ...(config.syncInterval !== undefined ? { syncInterval: config.syncInterval } : {}),
      ...(config.readYourWrites !== undefined ? { readYourWrites: config.readYourWrites } : {}),
      // bigint keeps 64-bit integers exact; they are narrowed to numbers where lossless.
      intMode: "bigint",
      // Local files get a pool of connections here: without a busy timeout, a second
      // writer fails at once with SQLITE_BUSY instead of waiting its turn.
      ...(isLocalUrl(config.url) ? { timeout: Math.max(0, Math.trunc(config.busyTimeout ?? 5000)) } : {}),
    });
    const connection = new RemoteConnection(client);
    if (config.foreignKeys !== false) await client.execute("PRAGMA foreign_keys = ON");
    return connection;
  }

  async execute(query: CompiledQuery, on: Client | ClientTransaction = this.client): Promise<QueryResult> {
    const started = performance.now();
    const result = await on.execute({ sql: query.sql, args: query.params } as InStatement);
    return toQueryResult(result, query, performance.now() - started);
  }

  close(): void {
    this.client.close();
  }
}

/** libSQL rows are array-like objects; EdgeRecord hands out plain objects keyed by column. */
function toQueryResult(result: ResultSet, query: CompiledQuery, duration: number): QueryResult {
  const { columns } = result;
  const rows: Row[] = result.rows.map((source) => {
    const row: Row = {};
    for (let i = 0; i < columns.length; i++) row[columns[i]!] = source[i];
    return row;
  });
  normalizeIntegers(rows);
  const lastInsertId = result.lastInsertRowid === undefined ? undefined : normalizeInteger(result.lastInsertRowid);
  return {
    rows,
    // The local engine reports no changes for a write with RETURNING; its returned rows are the changed ones.
    affectedRows: result.rowsAffected === 0 && rows.length > 0 && isWrite(query) ? rows.length : result.rowsAffected,
    ...(lastInsertId !== undefined && result.rowsAffected > 0 ? { lastInsertId } : {}),
    duration,
  };
}
