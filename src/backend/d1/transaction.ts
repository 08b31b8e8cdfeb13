/**
 * A D1 "transaction": D1 has no BEGIN, so the only atomic unit is `batch`.
 * Statements run inside `Model.transaction(...)` are queued, and commit sends
 * them as one batch: all apply or none do. What follows from that:
 *
 * - A statement whose result the caller needs before commit cannot run: a
 *   read (SELECT, WITH, PRAGMA...) or a write with RETURNING (`create()`
 *   asks for the inserted row) throws a TransactionError at once, since it
 *   could not see the queued writes, nor they its answer.
 * - A queued write resolves at once with no rows and `affectedRows: NaN`:
 *   the count exists only after the batch; commit fills it into that same
 *   result object. Model methods that check a count (`record.save()` on an
 *   update) therefore cannot detect a missing row inside a D1 transaction.
 * - Nested scopes and isolation levels throw (capability flags say so).
 * - Rollback (an error in the scope) drops the queue: nothing was sent.
 */
import type { CompiledQuery } from "../../query/ast.ts";
import { TransactionError } from "../../errors.ts";
import type { QueryResult, Transaction } from "../backend.ts";
import { hasReturning, returnsRows } from "../statement-kind.ts";

export interface QueuedResult {
  rows: QueryResult["rows"];
  affectedRows: number;
  lastInsertId?: number | bigint;
  duration: number;
}

/** A D1 "transaction": writes are queued and sent as one atomic batch at commit. */
export class BatchTransaction implements Transaction {
  private open = true;
  private readonly queue: { query: CompiledQuery; result: QueuedResult }[] = [];

  /** Makes the transaction; `send` runs the queued statements as one batch. */
  constructor(private readonly send: (queries: readonly CompiledQuery[]) => Promise<QueryResult[]>) {}

  /** False once committed or rolled back. */
  get isOpen(): boolean {
    return this.open;
  }

  /** Queues a write (reads and RETURNING are refused: they need an answer before the batch runs). */
  async execute(query: CompiledQuery): Promise<QueryResult> {
    if (!this.open) throw new TransactionError("this D1 transaction has already ended", { sql: query.sql });
    // Statements that hand back rows cannot wait for a batch sent after the scope ends.
    if (returnsRows(query)) {
      throw new TransactionError(
        "D1 cannot read inside a transaction: it has no interactive transactions, so a transaction is one batch of writes " +
          "sent when the scope ends, and this statement needs its answer now" +
          (hasReturning(query) ? " (it returns rows; create() reads back the inserted row: create before or after the transaction)" : "") +
          ". Read before the transaction, or run it outside.",
        { sql: query.sql, params: query.params },
      );
    }
    const result: QueuedResult = { rows: [], affectedRows: Number.NaN, duration: 0 };
    this.queue.push({ query, result });
    return result;
  }

  /** Sends every queued statement as one batch: all apply or none. */
  async commit(): Promise<void> {
    this.end("commit");
    if (this.queue.length === 0) return;
    const results = await this.send(this.queue.map((q) => q.query));
    results.forEach((r, i) => Object.assign(this.queue[i]!.result, r));
  }

  /** Drops the queue; nothing was sent. */
  async rollback(): Promise<void> {
    this.end("rollback");
    this.queue.length = 0;
  }

  /** Refused: D1 has no savepoints. */
  savepoint(): Promise<void> {
    return Promise.reject(noSavepoints());
  }

  /** Refused: D1 has no savepoints. */
  rollbackToSavepoint(): Promise<void> {
    return Promise.reject(noSavepoints());
  }

  /** Refused: D1 has no savepoints. */
  releaseSavepoint(): Promise<void> {
    return Promise.reject(noSavepoints());
  }

  /** Marks the transaction ended; a second end is a TransactionError. */
  private end(outcome: string): void {
    if (!this.open) throw new TransactionError(`cannot ${outcome}: this D1 transaction has already ended`);
    this.open = false;
  }
}

function noSavepoints(): TransactionError {
  return new TransactionError("D1 has no savepoints, so transactions cannot be nested");
}
