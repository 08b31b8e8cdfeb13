/**
 * `edgerecord/libsql` as edge bundles get it (./edge.ts): remote databases
 * (`libsql://`, `https://`) through @libsql/client, one stream per
 * transaction. Embedded databases (`file:`, `:memory:`) need the native engine
 * and a lock around their single connection; ./embedded.ts adds both for Node,
 * Deno and Bun, so that a Worker bundles neither.
 */
import type { CompiledQuery } from "../../query/ast.ts";
import { SqliteDialect } from "../../dialect/sqlite/dialect.ts";
import { ConfigurationError, ConnectionError } from "../../errors.ts";
import type { Backend, QueryResult, Transaction, TransactionManager, TransactionOptions } from "../backend.ts";
import { beginStatementTransaction } from "../statement-transaction.ts";
import { checkTransactionOptions } from "../transaction-options.ts";
import { isLocalUrl, type LibsqlConfig } from "./config.ts";
import { mapLibsqlError } from "./errors.ts";
import type { NativeConnection } from "./native.ts";
import { RemoteConnection } from "./remote.ts";

export type Connection = NativeConnection | RemoteConnection;

/** The libSQL backend over a remote connection (the edge entry); the embedded backend extends it. */
export class LibsqlBackend implements Backend {
  readonly dialect: SqliteDialect = new SqliteDialect();
  readonly transactions: TransactionManager = { begin: (options) => this.begin(options) };
  /**
   * The open connection, or null before the first statement and after `disconnect()`.
   * @internal for the embedded subclass
   */
  protected connection: Connection | null = null;
  private opening: Promise<Connection> | null = null;

  /** Checks the configuration; the connection opens on first use. */
  constructor(readonly config: LibsqlConfig) {
    if (!config || typeof config.url !== "string" || config.url === "") {
      throw new ConfigurationError('LibsqlBackend needs a url: "file:app.db", ":memory:", "libsql://..." or "https://..."');
    }
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
    // The hot path, not async on purpose: an open connection costs no extra promise per statement.
    return connection ? this.run(connection, query) : this.open().then((opened) => this.run(opened, query));
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

  /**
   * Runs one statement; every driver error comes out mapped. The native engine answers synchronously.
   * @internal for the embedded subclass
   */
  protected run(connection: Connection, query: CompiledQuery): Promise<QueryResult> {
    try {
      const result = connection.execute(query);
      if (result instanceof Promise) return result.catch((error: unknown) => Promise.reject(mapLibsqlError(error, query)));
      return Promise.resolve(result);
    } catch (error) {
      return Promise.reject(mapLibsqlError(error, query));
    }
  }

  /**
   * Opens the connection for the configured URL (remote here; the embedded subclass opens files and memory).
   * @internal for the embedded subclass
   */
  protected open(): Promise<Connection> {
    if (this.connection) return Promise.resolve(this.connection);
    this.opening ??= (async () => {
      try {
        const useNative = isLocalUrl(this.config.url) && this.config.driver !== "client";
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
   * (./embedded.ts, for Node, Deno, Bun) subclasses it with the native engine.
   */
  protected openEmbedded(config: LibsqlConfig): Promise<NativeConnection> {
    return Promise.reject(
      new Error(
        `${JSON.stringify(config.url.split("?")[0])} needs the native libSQL engine, which this runtime's build of edgerecord/libsql ` +
          "(the workerd/worker/browser/edge-light entry) leaves out: use a libsql:// or https:// URL here",
      ),
    );
  }

  /** Here every connection is remote: embedded ones only open in the subclass, which overrides this. */
  protected async begin(options?: TransactionOptions): Promise<Transaction> {
    checkTransactionOptions(this.dialect, options);
    return this.beginRemote((this.connection ?? (await this.open())) as RemoteConnection);
  }

  /**
   * A transaction through @libsql/client's own `transaction()`: it pools its
   * connections, local files included, and rolls back a transaction left open
   * on one it gets back. `release` ends whatever the caller holds for it.
   * @internal for the embedded subclass
   */
  protected async beginRemote(connection: RemoteConnection, release: () => void = () => undefined): Promise<Transaction> {
    let tx: Awaited<ReturnType<typeof connection.client.transaction>> | undefined;
    const local = isLocalUrl(this.config.url);
    return beginStatementTransaction(this.dialect, {}, {
      // The client sends BEGIN itself, on a connection (or stream) of the transaction's own.
      begin: async () => {
        try {
          tx = await connection.client.transaction("write");
        } catch (error) {
          throw mapLibsqlError(error);
        }
      },
      run: async (query) => {
        try {
          return await connection.execute(query, tx!);
        } catch (error) {
          throw mapLibsqlError(error, query);
        }
      },
      // The client prepares its own COMMIT, and a failed prepared COMMIT (a deferred foreign key) keeps the
      // tables locked on that pooled connection: a local file's COMMIT runs unprepared instead.
      finish: (outcome) => (outcome === "commit" ? (local ? tx!.executeMultiple("COMMIT") : tx!.commit()) : tx!.rollback()),
      release: () => {
        tx?.close();
        release();
      },
    });
  }
}

/** The scheme and host of a URL (a file's name), for messages: never its credentials. */
export function describeUrl(url: string): string {
  if (isLocalUrl(url)) return JSON.stringify(url.split("?")[0]);
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return "(unparseable url)";
  }
}
