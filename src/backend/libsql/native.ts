/**
 * Embedded databases (`file:`, `:memory:`) through the native `libsql` engine,
 * the same one `@libsql/client` runs on locally, used directly so that each
 * statement is prepared once per connection and reused: `@libsql/client`
 * prepares every statement anew.
 */
import type { CompiledQuery } from "../../query/ast.ts";
import type { QueryResult, Row } from "../backend.ts";
import { isWrite } from "../statement-kind.ts";
import type { LibsqlConfig } from "./config.ts";
import { localPath } from "./config.ts";
import { normalizeInteger, normalizeIntegerArrays, normalizeIntegers } from "./integers.ts";

interface NativeStatement {
  readonly reader: boolean;
  raw(on?: boolean): NativeStatement;
  columns(): readonly { readonly name: string }[];
  all(params: readonly unknown[]): Row[];
  get(params: readonly unknown[]): Row | undefined;
  run(params: readonly unknown[]): { changes: number; lastInsertRowid: number | bigint };
  safeIntegers(on?: boolean): NativeStatement;
}

interface NativeDatabase {
  prepare(sql: string): NativeStatement;
  sync(): { frames_synced?: number; frame_no?: number };
  exec(sql: string): void;
  close(): void;
}

/** The engine's open options for an embedded replica (libsql's names: `syncPeriod` is seconds). */
interface NativeOptions {
  syncUrl: string;
  authToken?: string;
  syncPeriod?: number;
  readYourWrites?: boolean;
}

type NativeDatabaseClass = new (path: string, options?: NativeOptions) => NativeDatabase;

/**
 * A prepared statement with what we learn about it once: `reader` is a call
 * into the native engine, too costly to repeat on every execution of a hot
 * statement.
 */
interface CachedStatement {
  readonly statement: NativeStatement;
  readonly reader: boolean;
  /** A write with RETURNING: its rows count as the affected rows. */
  readonly returningWrite: boolean;
  /** Result column names, read on the first `arrayRows` execution. */
  columns?: readonly string[];
}

/** One embedded libSQL database opened with the native engine, with its prepared-statement cache. */
export class NativeConnection {
  private readonly statements = new Map<string, CachedStatement>();
  private readonly cacheSize: number;

  private constructor(
    private readonly db: NativeDatabase,
    config: LibsqlConfig,
  ) {
    this.cacheSize = config.statementCacheSize ?? 256;
  }

  /** Opens the database file (or memory) named by the configuration. */
  static async open(config: LibsqlConfig): Promise<NativeConnection> {
    // Imported on demand: remote-only deployments (workerd) never load the native engine.
    const module = (await import("libsql")) as unknown as { default: NativeDatabaseClass };
    const path = localPath(config.url);
    const db = config.syncUrl ? new module.default(path, replicaOptions(config, config.syncUrl)) : new module.default(path);
    db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(config.busyTimeout ?? 5000))}`);
    db.exec(`PRAGMA foreign_keys = ${config.foreignKeys === false ? "OFF" : "ON"}`);
    // An embedded replica's log is libSQL's own replication log: its journal mode is not ours to change.
    if (path !== ":memory:" && config.wal !== false && !config.syncUrl) db.exec("PRAGMA journal_mode = WAL");
    return new NativeConnection(db, config);
  }

  /** Synchronous underneath: a statement can never interleave with another on this connection. */
  execute(query: CompiledQuery): QueryResult {
    const started = performance.now();
    const cached = this.prepare(query);
    const { statement, reader, returningWrite } = cached;
    if (reader && query.arrayRows && !query.singleRow) {
      // Raw mode gives each row as an array: no object per row to build here or to read in hydration.
      statement.raw(true);
      let rows: unknown[][];
      try {
        rows = statement.all(query.params as unknown[]) as unknown as unknown[][];
      } finally {
        statement.raw(false);
      }
      normalizeIntegerArrays(rows);
      cached.columns ??= statement.columns().map((c) => c.name);
      return {
        rows: [],
        values: { columns: cached.columns, rows },
        affectedRows: returningWrite ? rows.length : 0,
        duration: performance.now() - started,
      };
    }
    if (reader) {
      let rows: Row[];
      if (query.singleRow) {
        // `get` steps once; `all` fetches through an iterator in batches, measurably slower for one row.
        const row = statement.get(query.params as unknown[]);
        rows = row === undefined ? [] : [row];
      } else rows = statement.all(query.params as unknown[]);
      normalizeIntegers(rows);
      return {
        rows,
        affectedRows: returningWrite ? rows.length : 0,
        duration: performance.now() - started,
      };
    }
    const info = statement.run(query.params as unknown[]);
    return {
      rows: [],
      affectedRows: Number(info.changes),
      lastInsertId: normalizeInteger(info.lastInsertRowid),
      duration: performance.now() - started,
    };
  }

  /**
   * Runs a statement without preparing (or caching) it. For COMMIT and
   * ROLLBACK: a prepared COMMIT that fails (a deferred foreign key) stays
   * active in the engine and keeps its tables locked (DROP TABLE then fails
   * with "database table is locked") until it is finalized, which a cached
   * statement never is.
   */
  exec(sql: string): void {
    this.db.exec(sql);
  }

  /** Pulls the primary's changes into an embedded replica (blocks this thread until it has them). */
  sync(): { frames_synced?: number; frame_no?: number } {
    return this.db.sync();
  }

  /** Closes the database; later statements fail. */
  close(): void {
    this.statements.clear();
    this.db.close();
  }

  /** The prepared statement for this SQL, from the cache when it was seen before. */
  private prepare(query: CompiledQuery): CachedStatement {
    const { sql } = query;
    let cached = this.statements.get(sql);
    if (cached) return cached;
    // Safe integers: 64-bit values arrive exact as bigint and are narrowed below only when lossless.
    const statement = this.db.prepare(sql).safeIntegers(true);
    // The engine says whether rows come back, not whether the statement wrote: the compiler's hint (or the text) does.
    const reader = statement.reader;
    cached = { statement, reader, returningWrite: reader && isWrite(query) };
    if (this.statements.size >= this.cacheSize) {
      this.statements.delete(this.statements.keys().next().value!);
    }
    this.statements.set(sql, cached);
    return cached;
  }
}

function replicaOptions(config: LibsqlConfig, syncUrl: string): NativeOptions {
  return {
    syncUrl,
    ...(config.authToken ? { authToken: config.authToken } : {}),
    ...(config.syncInterval !== undefined ? { syncPeriod: config.syncInterval } : {}),
    ...(config.readYourWrites !== undefined ? { readYourWrites: config.readYourWrites } : {}),
  };
}
