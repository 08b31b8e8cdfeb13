/**
 * `edgerecord/postgres`: PostgreSQL through postgres.js, on its own pool.
 * Autocommit statements take any pooled connection; a transaction holds one
 * for its whole life through `sql.begin()` (see ./transaction.ts for why not
 * `sql.reserve()`) and gives it back when it ends.
 */
import postgres, { type Sql } from "postgres";
import type { CompiledQuery } from "../../query/ast.ts";
import { PostgresDialect, postgresCapabilities } from "../../dialect/postgres/dialect.ts";
import { ConfigurationError, type DatabaseError } from "../../errors.ts";
import type { Backend, QueryResult, Row, Transaction, TransactionManager, TransactionOptions } from "../backend.ts";
import { checkTransactionOptions } from "../transaction-options.ts";
import { PerRequestBackend } from "../per-request.ts";
import type { ReplicaRoutingOptions } from "../replicas/config.ts";
import { replicaSet } from "../../transaction/routing.ts";
import { describeServer, driverOptions, preparePolicy, secretsOf, type PostgresConfig } from "./config.ts";
import { mapPostgresError, type ErrorContext } from "./errors.ts";
import { isStaleSessionError } from "./stale-error.ts";
import { poolerHint } from "./pooler-error.ts";
import { clientDeadline, serverTimeout, statementTimeoutOf, withDeadline } from "./timeouts.ts";
import { PostgresTransaction } from "./transaction.ts";

/** Options of the backend beyond the connection settings. */
export interface PostgresBackendOptions {
  /**
   * A time limit in ms for every statement: the server cancels one that runs
   * longer (its `statement_timeout`), and the client gives up waiting for an
   * answer a little after that (a silent network). Both are a QueryTimeoutError.
   * A transaction may set its own (`transaction(work, { timeout })`). Default: none.
   */
  readonly statementTimeout?: number;
}

/** Seconds `disconnect()` lets running statements finish before closing their connections. */
const END_TIMEOUT_SECONDS = 5;

const WRITE_COMMANDS = new Set(["INSERT", "UPDATE", "DELETE", "MERGE"]);

/** What both the pool and a reserved connection offer. */
type Runner = Pick<Sql, "unsafe">;

/** A statement's answer, given up on after the client deadline when there is a timeout: a silent network must not hang its caller forever. */
function answer<T>(work: PromiseLike<T>, timeout: number | undefined, query: CompiledQuery): PromiseLike<T> {
  return timeout ? withDeadline(work, clientDeadline(timeout), query) : work;
}

/** PostgreSQL takes 65535 parameters, but postgres.js refuses a statement with 65534 or more. */
class PostgresJsDialect extends PostgresDialect {
  override readonly capabilities = { ...postgresCapabilities, maxParameters: 65_533 };
}

/** A PostgreSQL backend on postgres.js and its pool. */
export class PostgresBackend implements Backend {
  /** The PostgreSQL dialect. */
  readonly dialect: PostgresDialect = new PostgresJsDialect();
  /** Begins transactions, each on one pooled connection. */
  readonly transactions: TransactionManager = { begin: (options) => this.begin(options) };
  private sql: Sql | null = null;
  /** Passwords to scrub from messages; the pool may add one it read from PGPASSWORD. */
  private readonly secrets: string[];
  private readonly context: ErrorContext;
  /** Whether a statement is prepared by name: bounded per connection (see `statementCacheSize`). */
  private readonly prepare: (sql: string) => boolean;

  private readonly statementTimeout: number | undefined;

  /** Makes the backend; the pool opens on the first query. */
  constructor(readonly config: PostgresConfig & PostgresBackendOptions) {
    if (!config || (typeof config.url !== "string" && typeof config.host !== "string" && typeof config.database !== "string")) {
      throw new ConfigurationError('PostgresBackend needs a url ("postgres://user@host:5432/db") or host/database fields');
    }
    this.secrets = secretsOf(config);
    this.context = { server: describeServer(config), secrets: this.secrets };
    this.statementTimeout = statementTimeoutOf(config.statementTimeout);
    this.prepare = preparePolicy(config);
  }

  /** What `configure({ primary, replicas }, PostgresBackend)` routes through: reads to replicas, the rest to the primary. */
  static withReplicas(primary: Backend, replicas: readonly Backend[], options: ReplicaRoutingOptions): Backend {
    return replicaSet(primary, replicas, options);
  }

  /**
   * A backend that opens a `PostgresBackend` of its own for each request and
   * closes it after the response: what a Cloudflare Worker needs (workerd
   * refuses a socket another request opened). Bind the models to it once and
   * wrap each request in `serve(env, ctx, work)`:
   * `const db = PostgresBackend.perRequest((env: Env) => ({ url: env.HYPERDRIVE.connectionString, max: 5, fetchTypes: false }))`.
   */
  static perRequest<Env>(config: (env: Env) => PostgresConfig & PostgresBackendOptions): PerRequestBackend<Env> {
    return new PerRequestBackend((env: Env) => new PostgresBackend(config(env)), new PostgresJsDialect());
  }

  /** `host:port/database`, never the user or password: how messages (and a replica set) name this server. */
  get server(): string {
    return this.context.server!;
  }

  /** Opens the pool and proves a connection can be made (the pool itself connects lazily). */
  async connect(): Promise<void> {
    await this.ping();
  }

  async disconnect(): Promise<void> {
    const sql = this.sql;
    this.sql = null;
    await sql?.end({ timeout: END_TIMEOUT_SECONDS });
  }

  async ping(): Promise<void> {
    await this.execute({ sql: "SELECT 1", params: [] });
  }

  /** Runs one statement on a pooled connection (autocommit); one met by a killed session's stale error is sent again, once. */
  execute(query: CompiledQuery): Promise<QueryResult> {
    return this.run(this.pool(), query, this.statementTimeout, true);
  }

  /** The postgres.js pool, made on first use. */
  private pool(): Sql {
    if (this.sql) return this.sql;
    let sql: Sql;
    const options = driverOptions(this.config);
    // The server cancels long statements itself: a known outcome, and the connection stays usable.
    if (this.statementTimeout) options.connection = { ...options.connection, statement_timeout: this.statementTimeout };
    try {
      sql = this.config.url ? postgres(this.config.url, options) : postgres(options);
    } catch {
      // postgres.js throws here for an unparseable URL. Its error (and Node's `input` on it)
      // quotes the URL, password included, so it is not kept as the cause.
      throw new ConfigurationError(`PostgresBackend: the url cannot be parsed (expected "postgres://user:password@host:5432/database")`);
    }
    // A password from PGPASSWORD is a secret too.
    const pass = (sql.options as { pass?: unknown }).pass;
    if (typeof pass === "string" && pass !== "" && !this.secrets.includes(pass)) this.secrets.push(pass);
    this.sql = sql;
    return sql;
  }

  /**
   * Runs a statement on a pool or reserved connection, within the statement
   * timeout. The path every statement takes, so it allocates nothing it does
   * not need: no closure per call (under esbuild's keepNames, which tsx and
   * wrangler turn on, each named closure also costs an Object.defineProperty),
   * and the client deadline's timer only when there is a timeout.
   * `retryStale` (autocommit only): a statement that met the error a killed
   * session left behind was never sent (see ./stale-error.ts), so it is sent
   * once more.
   */
  private async run(on: Runner, query: CompiledQuery, timeout = this.statementTimeout, retryStale = false): Promise<QueryResult> {
    const started = performance.now();
    try {
      const sent = on.unsafe(query.sql, query.params as never[], { prepare: this.prepare(query.sql) });
      if (query.arrayRows) {
        // postgres.js reads each row into an array without building an object per row.
        const result = await answer(sent.values(), timeout, query);
        return {
          rows: [],
          values: { columns: (result.columns ?? []).map((c) => c.name), rows: result as unknown as unknown[][] },
          affectedRows: WRITE_COMMANDS.has(result.command) ? (result.count ?? 0) : 0,
          duration: performance.now() - started,
        };
      }
      const result = await answer(sent, timeout, query);
      // postgres.js builds each row as a plain object, in an Array subclass whose species is Array
      // (so map and filter on it give plain arrays): handed on as it is, with no copy of 10,000 rows.
      return {
        rows: result as unknown as Row[],
        affectedRows: WRITE_COMMANDS.has(result.command) ? (result.count ?? 0) : 0,
        duration: performance.now() - started,
      };
    } catch (error) {
      if (retryStale && isStaleSessionError(error, query.sql)) return this.run(on, query, timeout);
      throw poolerHint(error, this.context.server, this.config.prepare !== false) ?? this.mapError(error, query);
    }
  }

  /** Every driver error, mapped once; a cancelled statement (57014) is a QueryTimeoutError. */
  private mapError(error: unknown, query?: { sql: string; params: readonly unknown[] }): DatabaseError {
    return serverTimeout(error, query) ?? mapPostgresError(error, query, this.context);
  }

  /** Begins a transaction on one reserved connection. */
  private async begin(options: TransactionOptions = {}): Promise<Transaction> {
    checkTransactionOptions(this.dialect, options, { timeouts: true });
    const timeout = options.timeout ?? this.statementTimeout;
    // postgres.js writes "begin " + mode itself; the dialect's statement says what the mode is.
    const mode = this.dialect.beginTransaction(options).replace(/^\s*(BEGIN|START TRANSACTION)\b\s*/i, "");
    const tx = await PostgresTransaction.begin(
      this.pool(),
      mode,
      (on, query) => this.run(on, query, timeout),
      (error, query) => this.mapError(error, query),
    );
    if (options.timeout !== undefined) {
      // The server-side limit for this transaction only (SET LOCAL ends with it).
      await tx.execute({ sql: `SET LOCAL statement_timeout = ${options.timeout}`, params: [] }).catch(async (error: unknown) => {
        await tx.rollback().catch(() => undefined);
        throw error;
      });
    }
    return tx;
  }
}
