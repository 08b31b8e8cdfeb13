/**
 * Transactions run as statements on one connection, and the one
 * BEGIN -> COMMIT-or-ROLLBACK sequence every such backend needs
 * (`beginStatementTransaction`): the embedded and client libSQL paths use
 * it, and so can a third-party backend (examples/pglite-backend does).
 */
import type { CompiledQuery } from "../query/ast.ts";
import type { Dialect } from "../dialect/dialect.ts";
import { TransactionError } from "../errors.ts";
import type { QueryResult, Transaction, TransactionOptions } from "./backend.ts";

/** How a transaction ended. */
export type TransactionOutcome = "commit" | "rollback";

/**
 * A transaction over some way of running statements on one connection. It
 * refuses work once finished, and always runs `onFinish` (which releases the
 * connection), even when COMMIT or ROLLBACK fails.
 */
export class StatementTransaction implements Transaction {
  private open = true;

  /** Wraps a connection on which BEGIN has run. */
  constructor(
    private readonly dialect: Dialect,
    private readonly run: (query: CompiledQuery) => Promise<QueryResult>,
    private readonly finish: (outcome: TransactionOutcome) => Promise<void>,
  ) {}

  /** False once committed or rolled back. */
  get isOpen(): boolean {
    return this.open;
  }

  /** Runs a statement inside the transaction. */
  execute(query: CompiledQuery): Promise<QueryResult> {
    if (!this.open) return Promise.reject(new TransactionError("this transaction has already ended", { sql: query.sql }));
    return this.run(query);
  }

  /** Sends COMMIT (a failed COMMIT is followed by a ROLLBACK) and releases the connection. */
  commit(): Promise<void> {
    return this.end("commit");
  }

  /** Sends ROLLBACK and releases the connection. */
  rollback(): Promise<void> {
    return this.end("rollback");
  }

  /** Opens a savepoint with this name. */
  async savepoint(name: string): Promise<void> {
    await this.execute({ sql: this.dialect.savepoint(name), params: [] });
  }

  /** Rolls back to the named savepoint. */
  async rollbackToSavepoint(name: string): Promise<void> {
    await this.execute({ sql: this.dialect.rollbackToSavepoint(name), params: [] });
  }

  /** Releases the named savepoint. */
  async releaseSavepoint(name: string): Promise<void> {
    await this.execute({ sql: this.dialect.releaseSavepoint(name), params: [] });
  }

  /** Ends the transaction once: sends COMMIT or ROLLBACK and releases the connection. */
  private async end(outcome: TransactionOutcome): Promise<void> {
    if (!this.open) throw new TransactionError(`cannot ${outcome}: this transaction has already ended`);
    this.open = false;
    await this.finish(outcome);
  }
}

/** One connection, held for a transaction: what `beginStatementTransaction` needs from a backend. */
export interface TransactionConnection {
  /** Runs a statement on the connection, its errors mapped as `execute()` maps them. */
  run(query: CompiledQuery): Promise<QueryResult>;
  /** Opens the transaction. Default: the dialect's `beginTransaction(options)` through `run`. */
  begin?(): Promise<void>;
  /**
   * Sends COMMIT or ROLLBACK. Default: the plain statement through `run`.
   * Override where the driver wants its own call, or where a prepared COMMIT
   * that fails would keep its locks (libSQL runs them unprepared).
   */
  finish?(outcome: TransactionOutcome): Promise<void> | void;
  /** Gives the connection back (a pool's reservation, a `Mutex` release). Called exactly once. */
  release?(): void;
}

/**
 * BEGIN on `connection`, then a transaction that ends with COMMIT or ROLLBACK:
 *
 * - a BEGIN that fails releases the connection and rethrows the error as it came;
 * - a COMMIT that fails is followed by a ROLLBACK, since a database may leave
 *   the transaction open with its locks held (SQLite does after a deferred
 *   foreign key refuses the COMMIT), and comes out as a TransactionError
 *   (the driver's error as `cause`; a TransactionError thrown by `finish` as it is);
 * - the connection is released however the transaction ends.
 */
export async function beginStatementTransaction(
  dialect: Dialect,
  options: TransactionOptions,
  connection: TransactionConnection,
): Promise<StatementTransaction> {
  // Called through the object, so a connection written as a class keeps its `this`.
  const run = (query: CompiledQuery) => connection.run(query);
  const release = () => connection.release?.();
  const finish = (outcome: TransactionOutcome): Promise<void> =>
    connection.finish
      ? Promise.resolve().then(() => connection.finish!(outcome))
      : run({ sql: outcome === "commit" ? "COMMIT" : "ROLLBACK", params: [] }).then(() => undefined);
  try {
    await (connection.begin ? connection.begin() : run({ sql: dialect.beginTransaction(options), params: [] }));
  } catch (error) {
    release();
    throw error;
  }
  return new StatementTransaction(dialect, run, async (outcome) => {
    try {
      await finish(outcome);
    } catch (error) {
      // The COMMIT's failure is what the caller needs; a failing ROLLBACK after it adds nothing.
      if (outcome === "commit") await finish("rollback").catch(() => undefined);
      throw error instanceof TransactionError ? error : new TransactionError(`${outcome.toUpperCase()} failed: ${(error as Error)?.message ?? String(error)}`, { cause: error });
    } finally {
      release();
    }
  });
}
