/**
 * PostgreSQL in-process with PGlite (PostgreSQL compiled to WebAssembly), as a
 * third-party EdgeRecord backend written from docs/backends.md. PGlite is one
 * connection, so a transaction holds it and other work waits its turn.
 */
import { PGlite, types, type QueryOptions } from "@electric-sql/pglite";
import {
  ConfigurationError,
  Mutex,
  PostgresDialect,
  TransactionError,
  beginStatementTransaction,
  checkTransactionOptions,
  type Backend,
  type CompiledQuery,
  type QueryResult,
  type Transaction,
  type TransactionManager,
  type TransactionOptions,
} from "../../src/index.ts";
import type { PgliteConfig } from "./config.ts";
import { mapPgliteError } from "./errors.ts";

const WRITE_COMMANDS = new Set(["INSERT", "UPDATE", "DELETE", "MERGE"]);

/**
 * PostgresDialect's value mapper sends JSON as text and parses text it gets
 * back: PGlite must leave both alone (it would parse json results itself).
 * Dates and timestamps also come back as text: the mapper reads BC years and
 * years below 100, which PGlite's `new Date(text)` gets wrong.
 */
const asText = (text: string) => text;
const QUERY_OPTIONS: QueryOptions = {
  parsers: { [types.JSON]: asText, [types.JSONB]: asText, [types.DATE]: asText, [types.TIMESTAMPTZ]: asText },
  serializers: { [types.JSON]: jsonText, [types.JSONB]: jsonText },
};

function jsonText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

export class PgliteBackend implements Backend {
  readonly dialect = new PostgresDialect();
  readonly transactions: TransactionManager = { begin: (options) => this.begin(options) };
  private readonly lock = new Mutex();
  private db: PGlite | null = null;
  private opening: Promise<PGlite> | null = null;

  constructor(readonly config: PgliteConfig = {}) {
    if (config === null || typeof config !== "object") throw new ConfigurationError("PgliteBackend takes a config object: { dataDir? } or { instance }");
  }

  async connect(): Promise<void> {
    await this.open();
  }

  async disconnect(): Promise<void> {
    const db = this.db ?? (await this.opening?.catch(() => null));
    this.db = null;
    this.opening = null;
    // An instance the application handed us is the application's to close.
    if (db && !this.config.instance) await db.close();
  }

  async ping(): Promise<void> {
    await this.execute({ sql: "SELECT 1", params: [] });
  }

  async execute(query: CompiledQuery): Promise<QueryResult> {
    const db = this.db ?? (await this.open());
    // The one connection belongs to an open transaction: autocommit work waits for it to end.
    if (this.lock.isLocked) return this.lock.run(() => this.run(db, query));
    return this.run(db, query);
  }

  private async run(db: PGlite, query: CompiledQuery): Promise<QueryResult> {
    const started = performance.now();
    try {
      const result = await db.query<Record<string, unknown>>(query.sql, query.params as unknown[], QUERY_OPTIONS);
      return {
        rows: result.rows.map((row) => ({ ...row })),
        affectedRows: WRITE_COMMANDS.has(result.command ?? "") ? (result.affectedRows ?? 0) : 0,
        duration: performance.now() - started,
      };
    } catch (error) {
      throw mapPgliteError(error, query);
    }
  }

  private open(): Promise<PGlite> {
    if (this.db) return Promise.resolve(this.db);
    this.opening ??= (async () => {
      try {
        const db = this.config.instance ?? (await PGlite.create(this.config.dataDir));
        await db.waitReady;
        this.db = db;
        return db;
      } catch (error) {
        this.opening = null;
        throw mapPgliteError(error);
      }
    })();
    return this.opening;
  }

  private async begin(options: TransactionOptions = {}): Promise<Transaction> {
    checkTransactionOptions(this.dialect, options);
    const db = this.db ?? (await this.open());
    const release = await this.lock.acquire();
    return beginStatementTransaction(this.dialect, options, {
      run: (query) => this.run(db, query),
      finish: async (outcome) => {
        let result;
        try {
          result = await db.query(outcome === "commit" ? "COMMIT" : "ROLLBACK");
        } catch (error) {
          throw mapPgliteError(error);
        }
        // After a failed statement PostgreSQL answers COMMIT with ROLLBACK, and no error.
        if (outcome === "commit" && result.command === "ROLLBACK") {
          throw new TransactionError("COMMIT failed: the transaction was rolled back because a statement in it had failed");
        }
      },
      release,
    });
  }
}
