/**
 * The libSQL backend with the native engine for embedded databases: what
 * `edgerecord/libsql` gives Node, Deno and Bun. Kept apart from ./backend.ts
 * so that edge bundles (./edge.ts) never reach the `libsql` addon import,
 * which a Worker bundler cannot resolve (it needs fs, path, child_process),
 * nor the single-connection locking only embedded databases need.
 *
 * An embedded database has one connection: a transaction holds it (through
 * `lock`) for its whole life, so nothing interleaves with it.
 */
import type { CompiledQuery } from "../../query/ast.ts";
import type { QueryResult, Transaction, TransactionOptions } from "../backend.ts";
import { Mutex } from "../mutex.ts";
import { beginStatementTransaction } from "../statement-transaction.ts";
import { checkTransactionOptions } from "../transaction-options.ts";
import { ConfigurationError, ConnectionError } from "../../errors.ts";
import { describeUrl, LibsqlBackend as EdgeLibsqlBackend } from "./backend.ts";
import { mapLibsqlError } from "./errors.ts";
import { isLocalUrl, type LibsqlConfig } from "./config.ts";
import { NativeConnection } from "./native.ts";
import { RemoteConnection } from "./remote.ts";

/** A libSQL backend: the native engine for `file:` and `:memory:`, `@libsql/client` for remote URLs. */
export class LibsqlBackend extends EdgeLibsqlBackend {
  private readonly lock = new Mutex();
  private readonly local: boolean;

  /** Makes the backend; the connection opens on the first query. */
  constructor(config: LibsqlConfig) {
    super(config);
    this.local = isLocalUrl(config.url);
    if (config.syncUrl !== undefined && (!config.url.startsWith("file:") || config.url === "file::memory:")) {
      throw new ConfigurationError(`an embedded replica (syncUrl) needs a file: url to keep its copy in, not ${JSON.stringify(config.url.split("?")[0])}`);
    }
  }

  /**
   * Pulls the primary's latest changes into this embedded replica (`syncUrl`)
   * and resolves with libSQL's report (`frame_no`: the replication index it
   * reached). A ConfigurationError without `syncUrl`; a ConnectionError naming
   * the primary's host when it cannot be reached.
   */
  async sync(): Promise<{ frames_synced?: number; frame_no?: number }> {
    const { syncUrl } = this.config;
    if (!syncUrl) throw new ConfigurationError("sync() needs an embedded replica: configure { url: \"file:replica.db\", syncUrl: \"libsql://...\", authToken }");
    const connection = this.connection ?? (await this.open());
    try {
      // The native engine syncs synchronously; the client's sync is a promise.
      return connection instanceof RemoteConnection ? ((await connection.client.sync()) ?? {}) : connection.sync();
    } catch (error) {
      throw new ConnectionError(`cannot sync the embedded replica from ${describeUrl(syncUrl)}: ${mapLibsqlError(error).message}`, { cause: error });
    }
  }

  /** Opens a local database on the native engine. */
  protected override openEmbedded(config: LibsqlConfig): Promise<NativeConnection> {
    return NativeConnection.open(config);
  }

  /** Runs one statement (waiting for an open transaction on the single embedded connection to end). */
  override execute(query: CompiledQuery): Promise<QueryResult> {
    const connection = this.connection;
    // The hot path, not async on purpose: an open connection and no transaction holding it
    // cost no extra promise per statement (an async function and an await add two).
    if (connection && !(this.local && this.lock.isLocked)) return this.run(connection, query);
    return this.executeWhenReady(query);
  }

  /** Runs the statement once no transaction holds the embedded connection. */
  private async executeWhenReady(query: CompiledQuery): Promise<QueryResult> {
    const connection = this.connection ?? (await this.open());
    // A transaction on the single embedded connection owns it: autocommit work waits its turn.
    if (this.local && this.lock.isLocked) return this.lock.run(() => this.run(connection, query));
    return this.run(connection, query);
  }

  /** Begins a transaction on the connection. */
  protected override async begin(options?: TransactionOptions): Promise<Transaction> {
    checkTransactionOptions(this.dialect, options);
    const connection = this.connection ?? (await this.open());
    if (connection instanceof RemoteConnection) {
      // A local file's pooled connections live on this thread: a second writer's busy wait
      // would block the very thread the first must finish on. Local transactions take turns.
      return this.beginRemote(connection, this.local ? await this.lock.acquire() : undefined);
    }

    const release = await this.lock.acquire();
    return beginStatementTransaction(this.dialect, options ?? {}, {
      run: (query) => this.run(connection, query),
      // Not prepared: a failed prepared COMMIT would keep its tables locked (see NativeConnection.exec).
      finish: (outcome) => connection.exec(outcome === "commit" ? "COMMIT" : "ROLLBACK"),
      release,
    });
  }
}
