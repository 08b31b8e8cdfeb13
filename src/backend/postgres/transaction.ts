/**
 * A PostgreSQL transaction on postgres.js's `sql.begin()`, driven from outside.
 *
 * Why not `sql.reserve()`: when the server drops a reserved connection nobody
 * is told, and the next statement is written to a socket postgres.js has
 * already set to null, from a timer: an uncaught TypeError that ends the
 * process, and the transaction never settles. `begin()` races the transaction
 * against the connection's close and rejects with CONNECTION_CLOSED.
 *
 * What `begin()` does not guard, this class does. After the close, the
 * callback is still running, and postgres.js may already have reconnected the
 * same connection object for another caller: a statement sent through the old
 * handle would run on a fresh session, outside any transaction (autocommit),
 * and its ROLLBACK could end someone else's work. So once the connection is
 * lost, nothing of this transaction reaches the driver again, and the
 * `begin()` callback is left pending for good: letting it return would make
 * postgres.js send COMMIT or ROLLBACK on that connection. (A pending promise
 * holds nothing but its closures, collected with this object.)
 *
 * `begin()` is a callback API and EdgeRecord's Transaction is imperative, so
 * each level (the transaction, each savepoint) is a postgres.js scope whose
 * callback waits until this class says how it ends. Savepoints are the
 * scope's own `savepoint()`, not plain SQL: postgres.js remembers a failed
 * statement per scope and refuses to commit that scope, so a statement that
 * failed inside a savepoint must be charged to the savepoint's scope.
 */
import type { Sql, TransactionSql } from "postgres";
import type { CompiledQuery } from "../../query/ast.ts";
import { ConnectionError, DatabaseError, QueryTimeoutError, SerializationError, TransactionError } from "../../errors.ts";
import type { QueryResult, Transaction } from "../backend.ts";
import { isStaleSessionError } from "./stale-error.ts";

type Outcome = "commit" | "rollback";

/** Thrown from a scope's callback to make postgres.js roll that scope back. */
const ROLLBACK = Symbol("edgerecord.rollback");

interface Level {
  readonly sql: TransactionSql;
  /** EdgeRecord's savepoint name (undefined for the transaction itself). */
  readonly name: string | undefined;
  /** Lets the scope's callback return ("commit": postgres.js commits or keeps the savepoint) or throw ("rollback"). */
  readonly end: (outcome: Outcome) => void;
  /** Settles once postgres.js has finished the scope. */
  readonly done: Promise<unknown>;
}

/** Runs one statement on a scope's handle; errors come out mapped (DatabaseError). */
export type StatementRunner = (on: TransactionSql, query: CompiledQuery) => Promise<QueryResult>;
/** Maps a driver error (e.g. from COMMIT) onto EdgeRecord's classes. */
export type ErrorMapper = (error: unknown, query?: { sql: string; params: readonly unknown[] }) => DatabaseError;

/** Opens a scope through `start` and resolves once its callback runs (BEGIN or SAVEPOINT has succeeded). */
function openLevel(start: (body: (sql: TransactionSql) => Promise<void>) => Promise<unknown>, name?: string): Promise<Level> {
  return new Promise<Level>((resolve, reject) => {
    const holder: { done?: Promise<unknown> } = {};
    let opened = false;
    let end!: (outcome: Outcome) => void;
    const ending = new Promise<Outcome>((settle) => (end = settle));
    holder.done = start(async (sql) => {
      opened = true;
      resolve({ sql, name, end, done: holder.done! });
      if ((await ending) === "rollback") throw ROLLBACK;
    });
    // Handled here once and for all: every later failure is read through `done` by whoever ends the level.
    holder.done.catch((error: unknown) => {
      if (!opened) reject(error);
    });
  });
}

export class PostgresTransaction implements Transaction {
  readonly #levels: Level[];
  readonly #run: StatementRunner;
  readonly #map: ErrorMapper;
  #open = true;
  /** Set when the connection is gone: nothing more may be sent. */
  #lost: DatabaseError | undefined;
  /** Set when a statement got no answer in time: it may still be running, so nothing else may follow it. */
  #abandoned: QueryTimeoutError | undefined;
  /** True once commit() or rollback() has asked the outermost scope to end. */
  #ending = false;
  /** The driver errors of statements that failed, to tell postgres.js's replay of one at COMMIT from COMMIT's own failure. */
  readonly #failed = new WeakSet<object>();

  private constructor(top: Level, run: StatementRunner, map: ErrorMapper) {
    this.#levels = [top];
    this.#run = run;
    this.#map = map;
    // The outermost scope settling before we end it means the connection closed under it.
    top.done.catch((error: unknown) => {
      if (!this.#ending) this.#lose(this.#map(error));
    });
  }

  /** BEGIN (with `mode`, e.g. "isolation level serializable read only") on a pooled connection. */
  static async begin(pool: Sql, mode: string, run: StatementRunner, map: ErrorMapper): Promise<PostgresTransaction> {
    let top: Level;
    try {
      top = await openLevel((body) => pool.begin(mode, body));
    } catch (error) {
      if (!isStaleSessionError(error, `begin ${mode}`)) throw map(error, { sql: `BEGIN ${mode}`.trim(), params: [] });
      // BEGIN was never sent: it only met the error a killed session left behind (see ./stale-error.ts).
      try {
        top = await openLevel((body) => pool.begin(mode, body));
      } catch (again) {
        throw map(again, { sql: `BEGIN ${mode}`.trim(), params: [] });
      }
    }
    return new PostgresTransaction(top, run, map);
  }

  get isOpen(): boolean {
    return this.#open;
  }

  execute(query: CompiledQuery): Promise<QueryResult> {
    const refused = this.#refusal(query.sql);
    if (refused) return Promise.reject(refused);
    return this.#run(this.#levels[this.#levels.length - 1]!.sql, query).catch((error: unknown) => {
      this.#noteFailure(error);
      throw error;
    });
  }

  async savepoint(name: string): Promise<void> {
    const refused = this.#refusal(`SAVEPOINT ${name}`);
    if (refused) throw refused;
    const parent = this.#levels[this.#levels.length - 1]!;
    try {
      this.#levels.push(await openLevel((body) => parent.sql.savepoint(body), name));
    } catch (error) {
      const mapped = this.#map(error, { sql: `SAVEPOINT ${name}`, params: [] });
      this.#noteFailure(mapped);
      throw mapped;
    }
  }

  /** Rolls back to the savepoint and ends it (postgres.js's scope ends there; a later release is a no-op). */
  async rollbackToSavepoint(name: string): Promise<void> {
    const index = this.#indexOf(name);
    if (index < 0) throw new TransactionError(`no open savepoint "${name}" in this transaction`);
    const refused = this.#refusal(`ROLLBACK TO SAVEPOINT ${name}`);
    if (refused) throw refused;
    // Savepoints opened after it are discarded with it, by the server as by us; their scopes stay pending, unused.
    const level = this.#levels[index]!;
    this.#levels.length = index;
    level.end("rollback");
    try {
      await level.done;
    } catch (error) {
      if (error === ROLLBACK) return;
      const mapped = this.#map(error, { sql: `ROLLBACK TO SAVEPOINT ${name}`, params: [] });
      this.#noteFailure(mapped);
      throw mapped;
    }
  }

  async releaseSavepoint(name: string): Promise<void> {
    const index = this.#indexOf(name);
    if (index < 0) return; // already rolled back, which ended it
    const refused = this.#refusal(`RELEASE SAVEPOINT ${name}`);
    if (refused) throw refused;
    const level = this.#levels[index]!;
    this.#levels.length = index;
    level.end("commit");
    try {
      await level.done;
    } catch (error) {
      if (this.#failed.has(error as object)) {
        // postgres.js rolled the savepoint back because a statement in it had failed (and was caught).
        throw new TransactionError("RELEASE SAVEPOINT failed: a statement in the savepoint had failed, so it was rolled back", {
          cause: error,
        });
      }
      const mapped = this.#map(error, { sql: `RELEASE SAVEPOINT ${name}`, params: [] });
      this.#noteFailure(mapped);
      throw mapped;
    }
  }

  async commit(): Promise<void> {
    if (!this.#open) throw new TransactionError("cannot commit: this transaction has already ended");
    this.#open = false;
    if (this.#lost) {
      throw new ConnectionError(`COMMIT not sent: the connection was lost before it, so nothing was committed (${this.#lost.message})`, {
        cause: this.#lost,
        sql: "COMMIT",
      });
    }
    if (this.#abandoned) {
      this.#endWithoutWaiting();
      throw new TransactionError("COMMIT not sent: a statement of this transaction timed out, so it was rolled back", {
        cause: this.#abandoned,
        sql: "COMMIT",
      });
    }
    this.#ending = true;
    const top = this.#levels[0]!;
    top.end("commit");
    try {
      await top.done;
    } catch (error) {
      throw this.#commitFailure(error);
    }
  }

  async rollback(): Promise<void> {
    if (!this.#open) throw new TransactionError("cannot rollback: this transaction has already ended");
    this.#open = false;
    // A lost session was rolled back by the server when it ended: nothing to send (and nothing may be).
    if (this.#lost) return;
    if (this.#abandoned) return this.#endWithoutWaiting();
    this.#ending = true;
    const top = this.#levels[0]!;
    top.end("rollback");
    try {
      await top.done;
    } catch (error) {
      if (error === ROLLBACK) return;
      const mapped = this.#map(error, { sql: "ROLLBACK", params: [] });
      if (mapped instanceof ConnectionError) return; // the server rolls back a transaction whose session ends
      throw new TransactionError(`ROLLBACK failed: ${mapped.message}`, { cause: error, sql: "ROLLBACK" });
    }
  }

  #commitFailure(error: unknown): DatabaseError {
    if (this.#failed.has(error as object)) {
      // postgres.js replays the first failed statement at COMMIT, after rolling back.
      return new TransactionError("COMMIT failed: the transaction was rolled back because a statement in it had failed", {
        cause: error,
        sql: "COMMIT",
      });
    }
    const mapped = this.#map(error, { sql: "COMMIT", params: [] });
    if (mapped instanceof ConnectionError) {
      return new TransactionError(
        `COMMIT outcome unknown: the connection was lost after COMMIT was sent, so the transaction may or may not have committed (${mapped.message})`,
        { cause: mapped, sql: "COMMIT", commitOutcomeUnknown: true },
      );
    }
    // A serialization failure at COMMIT is still worth retrying as such.
    if (mapped instanceof SerializationError) return mapped;
    return new TransactionError(`COMMIT failed: ${mapped.message}`, { cause: error, sql: "COMMIT" });
  }

  /**
   * After a client-side timeout the connection is alive but busy with a
   * statement whose answer may never come: ask for the rollback (postgres.js
   * queues it behind that statement) and do not wait for it.
   */
  #endWithoutWaiting(): void {
    this.#ending = true;
    this.#levels[0]!.end("rollback");
  }

  #noteFailure(error: unknown): void {
    if (error instanceof ConnectionError) this.#lose(error);
    else if (error instanceof QueryTimeoutError && !error.serverCancelled) this.#abandoned ??= error;
    const cause = (error as { cause?: unknown } | null)?.cause;
    if (cause && typeof cause === "object") this.#failed.add(cause);
  }

  #lose(error: DatabaseError): void {
    this.#lost ??= error;
  }

  #refusal(sql: string): DatabaseError | undefined {
    if (!this.#open) return new TransactionError("this transaction has already ended", { sql });
    if (this.#lost) {
      return new ConnectionError(`the connection of this transaction was lost; nothing in it was committed (${this.#lost.message})`, {
        cause: this.#lost,
        sql,
      });
    }
    if (this.#abandoned) {
      return new TransactionError("a statement of this transaction timed out; it can only be rolled back", { cause: this.#abandoned, sql });
    }
    return undefined;
  }

  #indexOf(name: string): number {
    for (let i = this.#levels.length - 1; i > 0; i--) if (this.#levels[i]!.name === name) return i;
    return -1;
  }
}
