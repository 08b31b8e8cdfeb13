/**
 * One level of an open transaction: the outermost transaction, a savepoint
 * inside it, or the long-lived "pinned" transaction of a test state manager.
 *
 * It is also the explicit handle passed to `transaction(async (tx) => ...)`.
 * It is a `Session` (a dialect plus somewhere to run statements), which is
 * all a model needs: `Model.using(tx)` binds a model to it, and
 * `runTransaction(tx, ...)` nests a savepoint in it. That is what makes
 * transactions usable where AsyncLocalStorage is missing. It is not a
 * `Backend`: it cannot connect, disconnect or begin a transaction of its own.
 */
import type { CompiledQuery } from "../query/ast.ts";
import type { Backend, QueryResult, Transaction } from "../backend/backend.ts";
import type { Dialect } from "../dialect/dialect.ts";
import { TransactionError } from "../errors.ts";
import { Mutex } from "../backend/mutex.ts";
import { CallbackQueue, invoke, type TransactionCallback } from "./callbacks.ts";
import type { Session } from "./session.ts";
import { observe, observing } from "./events.ts";

/** Which level of a transaction a handle is. */
export type HandleKind = "outermost" | "savepoint" | "pinned";

/** One level of an open transaction (outermost, savepoint or pinned), usable as the explicit `tx` handle. */
export class TransactionHandle implements Session {
  readonly dialect: Dialect;
  /** @internal callbacks waiting for the outermost outcome. */
  readonly callbacks: CallbackQueue = new CallbackQueue();
  /** @internal the savepoint currently open directly inside this one, if any. */
  activeChild: TransactionHandle | undefined;
  /**
   * @internal nested transactions of this level take turns on it: two
   * savepoints open side by side on one connection would nest into each other.
   */
  readonly children: Mutex = new Mutex();
  /**
   * @internal records written at this level, each with the function that
   * puts its in-memory state back if this level's work is rolled back.
   */
  readonly written: Map<object, () => void> = new Map<object, () => void>();
  #ended = false;
  readonly #counter: { next: number };

  /** @internal made by the transaction runner and the test state manager only. */
  constructor(
    /** The backend this transaction runs on. */
    readonly backend: Backend,
    /** @internal the backend's open transaction, shared by every level. */
    readonly tx: Transaction,
    readonly kind: HandleKind,
    readonly parent?: TransactionHandle,
    /** The SAVEPOINT name, for a savepoint level. */
    readonly savepointName?: string,
  ) {
    this.dialect = backend.dialect;
    this.#counter = parent ? parent.#counter : { next: 0 };
  }

  /** As a session: statements run through this handle are in this level, whatever the ambient scope says. */
  get transaction(): TransactionHandle {
    return this;
  }

  /** True until this level ends (commit, rollback, or savepoint release / rollback). */
  get isOpen(): boolean {
    return !this.#ended && this.tx.isOpen;
  }

  /** @internal */
  end(): void {
    this.#ended = true;
  }

  /** @internal the next unused savepoint name in this transaction. */
  nextSavepointName(prefix = "edgerecord_sp"): string {
    return `${prefix}_${++this.#counter.next}`;
  }

  /**
   * Whether this level's callbacks run when it ends: it is the outermost
   * transaction, or sits right inside a pinned test transaction (which stands
   * in for autocommit, as in Rails' transactional tests).
   */
  get runsCallbacks(): boolean {
    return this.kind === "outermost" || (this.kind === "savepoint" && this.parent?.kind === "pinned");
  }

  execute(query: CompiledQuery): Promise<QueryResult> {
    if (!this.isOpen) {
      return Promise.reject(
        new TransactionError(
          "this query belongs to a transaction that has already ended (a promise not awaited inside transaction(), or a record loaded through using(tx) used afterwards?)",
          { sql: query.sql },
        ),
      );
    }
    return observing ? observe(query, true, () => this.tx.execute(query), this.dialect.name) : this.tx.execute(query);
  }

  /** Runs `fn` once, after the outermost transaction commits (at once outside a transaction, or in a pinned one). */
  afterCommit(fn: TransactionCallback): Promise<void> {
    if (this.kind === "pinned") return invoke(fn, "commit");
    this.#assertOpen("afterCommit");
    this.callbacks.add("commit", fn);
    return Promise.resolve();
  }

  /** Runs `fn` once, after the outermost transaction ends, if this level's work was rolled back. */
  afterRollback(fn: TransactionCallback): Promise<void> {
    if (this.kind === "pinned") return Promise.resolve();
    this.#assertOpen("afterRollback");
    this.callbacks.add("rollback", fn);
    return Promise.resolve();
  }

  #assertOpen(what: string): void {
    if (!this.isOpen) throw new TransactionError(`${what}(): this transaction has already ended`);
  }
}

/** For argument checks (`Model.using(tx)` given something else); the runner tells sessions apart itself. */
export function isTransactionHandle(value: unknown): value is TransactionHandle {
  return value instanceof TransactionHandle;
}
