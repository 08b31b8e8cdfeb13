/**
 * A dialect is everything SQL-shaped about one database family: how queries
 * become text, how identifiers are quoted, which column types and values map
 * to what, and which optional features exist. Backends own a dialect; the
 * model layer consults its capability flags, never its name.
 */
import type { ColumnSchema, ColumnType } from "../schema/column.ts";
import type { CompiledQuery, Query } from "../query/ast.ts";
import type { StatementTemplate } from "./compiler.ts";

/** A transaction isolation level, as SQL names it. */
export type IsolationLevel = "read uncommitted" | "read committed" | "repeatable read" | "serializable";

/** What a dialect can do; code gates on these flags, never on the dialect's name. */
export interface DialectCapabilities {
  /** `INSERT/UPDATE ... RETURNING` works. */
  readonly returning: boolean;
  /** `SAVEPOINT`, `ROLLBACK TO`, `RELEASE` work inside a transaction. */
  readonly savepoints: boolean;
  /**
   * Statements inside a transaction run at once and see its earlier writes
   * (BEGIN ... COMMIT). False where a transaction is a batch sent at commit
   * (D1): there, reads and RETURNING inside a transaction are refused.
   */
  readonly interactiveTransactions: boolean;
  /** The isolation levels a transaction may ask for; any other is an error, never silently ignored. */
  readonly isolationLevels: readonly IsolationLevel[];
  /** `readOnly` transactions are enforced by the database. */
  readonly readOnlyTransactions: boolean;
  /**
   * A `bigint` column stores and returns every signed 64-bit integer exactly.
   * False where values travel as JavaScript numbers (D1): only integers within
   * ±(2^53 - 1) are safe there, and the backend must refuse larger ones, not round them.
   */
  readonly int64: boolean;
  /** `INSERT ... ON CONFLICT (...) DO UPDATE/NOTHING` works. */
  readonly upsert: boolean;
  /** Most bound parameters one statement may carry. */
  readonly maxParameters: number;
  /**
   * Column types whose `IN` lists bind as one parameter (an array, a JSON
   * list), so that a statement's shape and parameter count do not grow with
   * the list. Lists of other types bind a parameter per value, and eager
   * loading splits them into chunks under `maxParameters`. Absent means none.
   */
  readonly listParameterTypes?: readonly ColumnType[];
  /** DDL (CREATE/DROP TABLE) takes part in transactions. */
  readonly transactionalDdl: boolean;
  /**
   * `SELECT ... FOR UPDATE / FOR SHARE [SKIP LOCKED | NOWAIT]` locks rows.
   * Absent or false: a query asking for row locks is refused, never run unlocked.
   */
  readonly rowLocks?: boolean;
  /**
   * `ALTER TABLE` can change a column (type, NOT NULL, default) and add or drop
   * constraints. Absent or false (SQLite): migrations rebuild the table instead.
   */
  readonly alterColumn?: boolean;
  /** Transaction-scoped advisory locks (`pg_advisory_xact_lock`): migrations lock with one instead of a lock row. */
  readonly advisoryLocks?: boolean;
  /**
   * `DECLARE ... CURSOR` / `FETCH` / `CLOSE` work inside a transaction:
   * `cursor()` and `chunk()` there read through one, in any order.
   */
  readonly serverCursors?: boolean;
}

/** Column type -> DDL. */
export interface TypeMapper {
  /** The column's type as written in CREATE TABLE, e.g. `VARCHAR(80)`. */
  columnType(column: ColumnSchema): string;
  /** The whole column definition after the name: type, keys, null-ness, default. */
  columnDefinition(column: ColumnSchema): string;
}

/** How one column type's values travel to and from the database. */
export interface ValueConverter {
  /** A value as the driver should send it. */
  toDatabase(value: unknown): unknown;
  /** A value the driver gave back, as the model holds it. */
  fromDatabase(value: unknown): unknown;
}

/** Values both ways, per column type. `null`/`undefined` never reach a converter. */
export interface ValueMapper {
  /** One converter per column type. */
  readonly converters: Readonly<Record<ColumnType, ValueConverter>>;
  /** For a value with no known column type (raw SQL parameters). */
  toDatabaseUntyped(value: unknown): unknown;
  /** A value for a column of this type (or untyped), as the driver should send it. */
  toDatabase(type: ColumnType | undefined, value: unknown): unknown;
  /** A value the driver gave back for a column of this type, as the model holds it. */
  fromDatabase(type: ColumnType | undefined, value: unknown): unknown;
}

/** One SQL dialect: compiles queries, quotes identifiers, maps types and values, says what it can do. */
export interface Dialect {
  /** For messages and logs only: code must test capabilities, not names. */
  readonly name: string;
  /** What the dialect can do. */
  readonly capabilities: DialectCapabilities;
  /** Column type to DDL. */
  readonly types: TypeMapper;
  /** Values to and from the database, per column type. */
  readonly values: ValueMapper;
  /** The identifier quoted for this dialect. */
  quoteIdentifier(name: string): string;
  /** Compiles a query description to SQL text and parameters. */
  compile(query: Query): CompiledQuery;
  /** Compiles a query whose values may be `Slot`s, once per shape; `bindTemplate` makes each call's statement. */
  compileTemplate(query: Query): StatementTemplate;
  /** The statement that opens a transaction with these options. */
  beginTransaction(options: { isolation?: IsolationLevel; readOnly?: boolean }): string;
  /** The statement that opens a savepoint. */
  savepoint(name: string): string;
  /** The statement that rolls back to a savepoint. */
  rollbackToSavepoint(name: string): string;
  /** The statement that releases a savepoint. */
  releaseSavepoint(name: string): string;
  /** A query whose rows (`{ name }`) are the user tables of the current database/schema. */
  listTables(): CompiledQuery;
  /**
   * Empties these tables and restarts their identity counters, inside the
   * caller's transaction. It runs its statements through `run` because the
   * statements may depend on the database's state (SQLite's sequence table
   * exists only once an AUTOINCREMENT table does), as Kysely's dialect
   * adapters run their own migration-lock queries.
   */
  truncateTables(tables: readonly string[], run: (query: CompiledQuery) => Promise<{ rows: readonly Record<string, unknown>[] }>): Promise<void>;
}
