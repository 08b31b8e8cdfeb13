/**
 * `edgerecord/libsql`: SQLite through libSQL. Embedded (`file:`, `:memory:`)
 * databases have one connection, so a transaction holds it exclusively and
 * other work waits; remote ones open a stream per transaction.
 */
import type { CompiledQuery } from "../../query/ast.ts";
import { SqliteDialect } from "../../dialect/sqlite/dialect.ts";
import { ConnectionError, TransactionError } from "../../errors.ts";
import type { Backend, QueryResult, Transaction, TransactionManager, TransactionOptions } from "../backend.ts";
import { Mutex } from "../mutex.ts";
import { StatementTransaction } from "../statement-transaction.ts";
import { checkTransactionOptions } from "../transaction-options.ts";
import { isLocalUrl, type LibsqlConfig } from "./config.ts";
import { mapLibsqlError } from "./errors.ts";
import type { NativeConnection } from "./native.ts";
import { RemoteConnection } from "./remote.ts";

type Connection = NativeConnection | RemoteConnection;

export class LibsqlBackend implements Backend {
  readonly dialect = new SqliteDialect();
  readonly transactions: TransactionManager = { begin: (options) => this.begin(options) };
  /** Embedded databases: held by a transaction for its whole life, so nothing interleaves with it. */
  private readonly lock = new Mutex();
  private readonly local: boolean;
  private connection: Connection | null = null;
  private opening: Promise<Connection> | null = null;

  constructor(readonly config: LibsqlConfig) {
    if (!config || typeof config.url !== "string" || config.url === "") {
      throw new ConnectionError('LibsqlBackend needs a url: "file:app.db", ":memory:", "libsql://..." or "https://..."');
    }
    this.local = isLocalUrl(config.url);
  }

  async connect(): Promise<void> {
    await this.open();
  }

  async disconnect(): Promise<void> {
    const connection = this.connection ?? (await this.opening?.catch(() => null));
    this.connection = null;
    this.opening = null;
    connection?.close();
  }

  async ping(): Promise<void> {
    await this.execute({ sql: "SELECT 1", params: [] });
  }

  execute(query: CompiledQuery): Promise<QueryResult> {
    const connection = this.connection;
    // The hot path, not async on purpose: an open connection and no transaction holding it
    // cost no extra promise per statement (an async function and an await add two).
    if (connection && !(this.local && this.lock.isLocked)) return this.run(connection, query);
    return this.executeWhenReady(query);
  }

  private async executeWhenReady(query: CompiledQuery): Promise<QueryResult> {
    const connection = this.connection ?? (await this.open());
    // A transaction on the single embedded connection owns it: autocommit work waits its turn.
    if (this.local && this.lock.isLocked) return this.lock.run(() => this.run(connection, query));
    return this.run(connection, query);
  }

  async batch(queries: readonly CompiledQuery[]): Promise<QueryResult[]> {
    const tx = await this.begin();
    try {
      const results: QueryResult[] = [];
      for (const query of queries) results.push(await tx.execute(query));
      await tx.commit();
      return results;
    } catch (error) {
      if (tx.isOpen) await tx.rollback();
      throw error;
    }
  }

  /** Runs one statement; every driver error comes out mapped. The native engine answers synchronously. */
  private run(connection: Connection, query: CompiledQuery): Promise<QueryResult> {
    try {
      const result = connection.execute(query);
      if (result instanceof Promise) return result.catch((error: unknown) => Promise.reject(mapLibsqlError(error, query)));
      return Promise.resolve(result);
    } catch (error) {
      return Promise.reject(mapLibsqlError(error, query));
    }
  }

  private open(): Promise<Connection> {
    if (this.connection) return Promise.resolve(this.connection);
    this.opening ??= (async () => {
      try {
        const useNative = this.local && this.config.driver !== "client";
        const connection = useNative ? await this.openEmbedded(this.config) : await RemoteConnection.open(this.config);
        this.connection = connection;
        return connection;
      } catch (error) {
        this.opening = null;
        // The URL may carry credentials in its query string; name only scheme and host.
        throw new ConnectionError(`cannot open libSQL database ${describeUrl(this.config.url)}: ${mapLibsqlError(error).message}`, {
          cause: error,
        });
      }
    })();
    return this.opening;
  }

  /**
   * Opens an embedded (`file:`, `:memory:`) database. This class is what the
   * edge entry (workerd, worker, browser, edge-light) exports, where the native
   * engine cannot load and must not even be bundled; the default entry
   * (./index.ts, for Node, Deno, Bun) subclasses it with the native engine.
   */
  protected openEmbedded(config: LibsqlConfig): Promise<NativeConnection> {
    return Promise.reject(
      new Error(
        `${JSON.stringify(config.url.split("?")[0])} needs the native libSQL engine, which this runtime's build of edgerecord/libsql ` +
          "(the workerd/worker/browser/edge-light entry) leaves out: use a libsql:// or https:// URL here",
      ),
    );
  }

  private async begin(options?: TransactionOptions): Promise<Transaction> {
    checkTransactionOptions(this.dialect, options);
    const connection = this.connection ?? (await this.open());
    // @libsql/client pools its connections, local files included, and rolls back a
    // transaction left open on one it gets back: only its own transaction() holds one.
    if (connection instanceof RemoteConnection) return this.beginRemote(connection);

    const release = await this.lock.acquire();
    const run = (query: CompiledQuery) => this.run(connection, query);
    try {
      await run({ sql: this.dialect.beginTransaction(options ?? {}), params: [] });
    } catch (error) {
      release();
      throw error;
    }
    return new StatementTransaction(this.dialect, run, async (outcome) => {
      try {
        await run({ sql: outcome === "commit" ? "COMMIT" : "ROLLBACK", params: [] });
      } catch (error) {
        // A failed COMMIT (a deferred constraint, say) leaves the transaction open: close it before letting go.
        if (outcome === "commit") await run({ sql: "ROLLBACK", params: [] }).catch(() => undefined);
        throw new TransactionError(`${outcome.toUpperCase()} failed: ${(error as Error).message}`, { cause: error });
      } finally {
        release();
      }
    });
  }

  private async beginRemote(connection: RemoteConnection): Promise<Transaction> {
    // A local file's pooled connections live on this thread: a second writer's busy wait
    // would block the very thread the first must finish on. Local transactions take turns.
    const release = this.local ? await this.lock.acquire() : () => undefined;
    let tx: Awaited<ReturnType<typeof connection.client.transaction>>;
    try {
      tx = await connection.client.transaction("write");
    } catch (error) {
      release();
      throw mapLibsqlError(error);
    }
    const run = async (query: CompiledQuery) => {
      try {
        return await connection.execute(query, tx);
      } catch (error) {
        throw mapLibsqlError(error, query);
      }
    };
    return new StatementTransaction(this.dialect, run, async (outcome) => {
      try {
        await (outcome === "commit" ? tx.commit() : tx.rollback());
      } catch (error) {
        throw new TransactionError(`${outcome.toUpperCase()} failed: ${(error as Error).message}`, { cause: error });
      } finally {
        tx.close();
        release();
      }
    });
  }
}

function describeUrl(url: string): string {
  if (isLocalUrl(url)) return JSON.stringify(url.split("?")[0]);
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return "(unparseable url)";
  }
}
