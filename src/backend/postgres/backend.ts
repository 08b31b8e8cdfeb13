/**
 * `edgerecord/postgres`: PostgreSQL through postgres.js, on its own pool.
 * Autocommit statements take any pooled connection; a transaction reserves
 * one (`sql.reserve()`) for its whole life and gives it back when it ends.
 */
import postgres, { type Sql } from "postgres";
import type { CompiledQuery } from "../../query/ast.ts";
import { PostgresDialect, postgresCapabilities } from "../../dialect/postgres/dialect.ts";
import { ConfigurationError, ConnectionError, SerializationError, TransactionError } from "../../errors.ts";
import type { Backend, QueryResult, Row, Transaction, TransactionManager, TransactionOptions } from "../backend.ts";
import { StatementTransaction } from "../statement-transaction.ts";
import { checkTransactionOptions } from "../transaction-options.ts";
import { describeServer, driverOptions, secretsOf, type PostgresConfig } from "./config.ts";
import { mapPostgresError, type ErrorContext } from "./errors.ts";

/** Seconds `disconnect()` lets running statements finish before closing their connections. */
const END_TIMEOUT_SECONDS = 5;

const WRITE_COMMANDS = new Set(["INSERT", "UPDATE", "DELETE", "MERGE"]);

/** What both the pool and a reserved connection offer. */
type Runner = Pick<Sql, "unsafe">;

/** PostgreSQL takes 65535 parameters, but postgres.js refuses a statement with 65534 or more. */
class PostgresJsDialect extends PostgresDialect {
  override readonly capabilities = { ...postgresCapabilities, maxParameters: 65_533 };
}

export class PostgresBackend implements Backend {
  readonly dialect: PostgresDialect = new PostgresJsDialect();
  readonly transactions: TransactionManager = { begin: (options) => this.begin(options) };
  private sql: Sql | null = null;
  /** Passwords to scrub from messages; the pool may add one it read from PGPASSWORD. */
  private readonly secrets: string[];
  private readonly context: ErrorContext;
  private readonly prepare: boolean;

  constructor(readonly config: PostgresConfig) {
    if (!config || (typeof config.url !== "string" && typeof config.host !== "string" && typeof config.database !== "string")) {
      throw new ConfigurationError('PostgresBackend needs a url ("postgres://user@host:5432/db") or host/database fields');
    }
    this.secrets = secretsOf(config);
    this.context = { server: describeServer(config), secrets: this.secrets };
    this.prepare = config.prepare ?? true;
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

  async execute(query: CompiledQuery): Promise<QueryResult> {
    return this.run(this.pool(), query);
  }

  private pool(): Sql {
    if (this.sql) return this.sql;
    let sql: Sql;
    try {
      sql = this.config.url ? postgres(this.config.url, driverOptions(this.config)) : postgres(driverOptions(this.config));
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

  private async run(on: Runner, query: CompiledQuery): Promise<QueryResult> {
    const started = performance.now();
    try {
      const pending = on.unsafe(query.sql, query.params as never[], { prepare: this.prepare });
      if (query.arrayRows) {
        // postgres.js reads each row into an array without building an object per row.
        const result = await pending.values();
        return {
          rows: [],
          values: { columns: (result.columns ?? []).map((c) => c.name), rows: result as unknown as unknown[][] },
          affectedRows: WRITE_COMMANDS.has(result.command) ? (result.count ?? 0) : 0,
          duration: performance.now() - started,
        };
      }
      const result = await pending;
      // postgres.js builds each row as a plain object, in an Array subclass whose species is Array
      // (so map and filter on it give plain arrays): handed on as it is, with no copy of 10,000 rows.
      return {
        rows: result as unknown as Row[],
        affectedRows: WRITE_COMMANDS.has(result.command) ? (result.count ?? 0) : 0,
        duration: performance.now() - started,
      };
    } catch (error) {
      throw mapPostgresError(error, query, this.context);
    }
  }

  private async begin(options: TransactionOptions = {}): Promise<Transaction> {
    checkTransactionOptions(this.dialect, options);
    const pool = this.pool();
    let reserved: Awaited<ReturnType<Sql["reserve"]>>;
    try {
      reserved = await pool.reserve();
    } catch (error) {
      throw mapPostgresError(error, undefined, this.context);
    }
    try {
      await this.run(reserved, { sql: this.dialect.beginTransaction(options), params: [] });
    } catch (error) {
      reserved.release();
      throw error;
    }
    return new StatementTransaction(
      this.dialect,
      (query) => this.run(reserved, query),
      (outcome) => this.finish(reserved, outcome),
    );
  }

  private async finish(reserved: Runner & { release(): void }, outcome: "commit" | "rollback"): Promise<void> {
    try {
      const result = await reserved.unsafe(outcome === "commit" ? "COMMIT" : "ROLLBACK");
      // After a failed statement the server answers COMMIT with ROLLBACK and no error: say so.
      if (outcome === "commit" && result.command === "ROLLBACK") {
        throw new TransactionError("COMMIT failed: the server rolled the transaction back because a statement in it had failed");
      }
    } catch (error) {
      if (error instanceof TransactionError) throw error;
      const mapped = mapPostgresError(error, { sql: outcome.toUpperCase(), params: [] }, this.context);
      if (outcome === "commit") await reserved.unsafe("ROLLBACK").catch(() => undefined);
      // A serialization failure at COMMIT is still worth retrying; a lost connection is still a ConnectionError.
      if (mapped instanceof SerializationError || mapped instanceof ConnectionError) throw mapped;
      throw new TransactionError(`${outcome.toUpperCase()} failed: ${mapped.message}`, { cause: error });
    } finally {
      reserved.release();
    }
  }
}
