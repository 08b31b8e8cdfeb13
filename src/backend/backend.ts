/**
 * The boundary to a database. A backend connects, runs compiled statements,
 * opens transactions, and maps every driver error, once, onto EdgeRecord's
 * error classes. Everything above it (models, queries) is database-neutral;
 * everything below it is one driver. See docs/backends.md for a guide.
 */
import type { CompiledQuery } from "../query/ast.ts";
import type { Dialect, IsolationLevel } from "../dialect/dialect.ts";
import type { ReplicaRoutingOptions } from "./replicas/config.ts";

/** A result row, keyed by column name (or alias), values as the driver gave them. */
export type Row = Record<string, unknown>;

/** What running one statement gave back. */
export interface QueryResult {
  /** The rows as objects; empty when the backend answered an `arrayRows` query with `values`. */
  readonly rows: Row[];
  /**
   * Only for a query marked `arrayRows`, and only if the backend chose to:
   * each row as an array of values in `columns` order. The arrays become the
   * caller's, which may change them (hydration keeps a timestamp's instant there).
   */
  readonly values?: ArrayRows;
  /** Rows inserted, updated or deleted by the statement (0 for a SELECT). */
  readonly affectedRows: number;
  /** The row id of the last inserted row, where the database reports one. */
  readonly lastInsertId?: number | bigint;
  /** Milliseconds spent in the driver. */
  readonly duration: number;
}

/** Rows as arrays in the order of their columns (cheaper than objects), for drivers that offer them. */
export interface ArrayRows {
  /** Column names (or aliases), in the order of each row's values. */
  readonly columns: readonly string[];
  /** The rows, each an array of values in column order. */
  readonly rows: readonly (readonly unknown[])[];
}

/** Anything that runs statements: the backend itself (autocommit) or an open transaction. */
export interface Executor {
  /** Runs one compiled statement and returns its result. */
  execute(query: CompiledQuery): Promise<QueryResult>;
}

/** How a transaction begins: isolation level, read-only, time limit. */
export interface TransactionOptions {
  /** Must be one of `dialect.capabilities.isolationLevels`; anything else is a TransactionError. */
  readonly isolation?: IsolationLevel;
  /** Requires `dialect.capabilities.readOnlyTransactions`. */
  readonly readOnly?: boolean;
  /**
   * A time limit in ms for each statement of this transaction, replacing the
   * backend's own `statementTimeout` there. Only on backends that can cancel a
   * statement (PostgreSQL); elsewhere a TransactionError, never ignored.
   */
  readonly timeout?: number;
}

/** An open transaction on one connection. After commit or rollback it refuses further work. */
export interface Transaction extends Executor {
  /** False once the transaction has committed or rolled back. */
  readonly isOpen: boolean;
  /** Commits the transaction and releases its connection. */
  commit(): Promise<void>;
  /** Rolls the transaction back and releases its connection. */
  rollback(): Promise<void>;
  /** Opens a savepoint with this name. */
  savepoint(name: string): Promise<void>;
  /** Rolls back to the named savepoint, keeping the transaction open. */
  rollbackToSavepoint(name: string): Promise<void>;
  /** Releases the named savepoint, keeping its work in the transaction. */
  releaseSavepoint(name: string): Promise<void>;
}

/** Opens transactions. The model layer nests them with savepoints and keeps them in a scope. */
export interface TransactionManager {
  /**
   * Opens a transaction on a connection of its own (or waits for the single
   * connection, on databases that have one): statements run through the
   * returned object are in it, statements run through the backend are not.
   */
  begin(options?: TransactionOptions): Promise<Transaction>;
}

/** The boundary to a database: connects, runs statements, runs transactions, maps driver errors. */
export interface Backend extends Executor {
  /** The SQL dialect statements are compiled in for this backend. */
  readonly dialect: Dialect;
  /** Begins transactions on this backend. */
  readonly transactions: TransactionManager;
  /** Opens the connection (or pool). Idempotent; `execute` calls it on first use. */
  connect(): Promise<void>;
  /** Closes every connection. The backend may be connected again afterwards. */
  disconnect(): Promise<void>;
  /** Round-trips to the server; throws a ConnectionError when it cannot. */
  ping(): Promise<void>;
  /**
   * Runs several statements atomically, in one round trip where the driver
   * can. Optional: without it, the caller wraps them in a transaction.
   */
  batch?(queries: readonly CompiledQuery[]): Promise<QueryResult[]>;
  /**
   * Optional, for backends whose sessions have bookmarks (D1 read
   * replication): where this backend's session in the current async context
   * stands, for the next request to start from; undefined outside a session,
   * null in one that has run nothing and started without a bookmark.
   * `ActiveRecord.bookmark()` reads it.
   */
  bookmark?(): string | null | undefined;
}

/** What `Model.configure(config, BackendClass)` accepts: a class made from one config object. */
export interface BackendClass<Config> {
  /** Makes a backend from its configuration. */
  new (config: Config): Backend;
  /**
   * Optional: a class that can serve reads from replicas says so here, and
   * `configure({ primary, replicas }, ThatClass)` routes through what it
   * returns (PostgresBackend: a ReplicaSet). Kept on the class so that an
   * app on a backend without replicas bundles none of the routing code.
   */
  withReplicas?(primary: Backend, replicas: readonly Backend[], options: ReplicaRoutingOptions): Backend;
}
