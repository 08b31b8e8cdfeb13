/**
 * Test-state checkpoints: one outer transaction held for a whole test session,
 * SAVEPOINTs as named checkpoints inside it, and a reset that empties tables.
 *
 * The outer transaction is *pinned* as the ambient scope of its backend: every
 * model query on that backend, from any async context (beforeEach, the test,
 * afterEach), runs inside it, and `ActiveRecord.transaction()` in the code
 * under test nests as a savepoint. Nothing a session does survives
 * `disconnect()`, which rolls the outer transaction back.
 *
 * With `{ schema }` (a snapshot, or the text of `edgerecord.schema.json`) the
 * session starts by creating that schema inside the outer transaction: a test
 * file starts from the migrated schema in one step, on an empty database,
 * and leaves it empty. The migrate layer is imported only then.
 */
import type { Backend } from "../backend/backend.ts";
import { ConfigurationError, TransactionError } from "../errors.ts";
import { TransactionHandle } from "../transaction/handle.ts";
import { pinnedScope, pinScope, unpinScope } from "../transaction/scope.ts";
import type { SchemaSource } from "../migrate/load-schema.ts";

/** Options of a StateManager. */
export interface StateManagerOptions {
  /**
   * The schema the session starts from, created by `connect()` inside the
   * outer transaction (so `disconnect()` removes it again): a snapshot
   * (`snapshotFromModels(models)`, `parseSnapshot(text)`), the text of the
   * `edgerecord.schema.json` that `migrate generate` writes, or that file
   * imported as JSON. The database must not have these tables yet.
   */
  readonly schema?: SchemaSource;
}

/** Which tables `reset` empties. */
export interface ResetOptions {
  /** Only these tables (default: every table of the database / current schema). */
  readonly tables?: readonly string[];
  /** Tables to leave alone (a migrations table, seeded reference data). */
  readonly exclude?: readonly string[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,47}$/;

/** Backends a StateManager is connecting to right now. */
const connecting = new WeakSet<object>();

/** Test state on one backend: a pinned transaction with checkpoints rolled back between tests, and table resets. */
export class StateManager {
  #handle: TransactionHandle | undefined;
  /** Open checkpoints, oldest first. */
  readonly #checkpoints: string[] = [];
  /** Checkpoints already rolled back or released, to name the misuse precisely. */
  readonly #finished = new Map<string, "rolled back" | "released">();

  /** Makes a manager for the backend; `connect()` opens its pinned transaction (and creates `options.schema` in it). */
  constructor(
    readonly backend: Backend,
    readonly options: StateManagerOptions = {},
  ) {
    if (!backend || typeof backend.execute !== "function" || !backend.transactions) {
      throw new ConfigurationError("new StateManager(backend) takes a Backend, e.g. new LibsqlBackend({ url: \":memory:\" }) or User.backend");
    }
  }

  /** Opens the backend and the outer transaction, and makes it the ambient scope of the backend. */
  async connect(): Promise<void> {
    if (this.#handle) throw new TransactionError("StateManager.connect(): already connected; disconnect() first");
    if (!this.backend.dialect.capabilities.savepoints) {
      throw new TransactionError(`StateManager needs savepoints, which ${this.backend.dialect.name} does not have`);
    }
    // Checked before BEGIN: on a single-connection backend BEGIN would wait forever for the other session.
    if (pinnedScope(this.backend) || connecting.has(this.backend)) {
      throw new TransactionError("StateManager.connect(): another StateManager is already connected (or connecting) to this backend");
    }
    // Claimed before the first await, so that two connect() calls at once cannot both pass the check above.
    connecting.add(this.backend);
    try {
      await this.backend.connect();
      const tx = await this.backend.transactions.begin();
      const handle = new TransactionHandle(this.backend, tx, "pinned");
      pinScope(this.backend, handle);
      this.#handle = handle;
    } finally {
      connecting.delete(this.backend);
    }
    if (this.options.schema !== undefined) await this.#createSchema(this.options.schema);
  }

  /** Creates the schema inside the outer transaction; on failure the session ends, leaving nothing behind. */
  async #createSchema(schema: SchemaSource): Promise<void> {
    const handle = this.#connected("connect");
    try {
      // Loaded on demand: a session without a schema never loads the migrate layer.
      const { schemaStatements } = await import("../migrate/load-schema.ts");
      for (const statement of await schemaStatements(this.backend.dialect, schema)) await handle.tx.execute(statement);
    } catch (error) {
      await this.disconnect();
      throw new TransactionError(`StateManager.connect(): the schema could not be created (is the database empty?): ${(error as Error).message}`, { cause: error });
    }
  }

  /** Rolls the outer transaction back (undoing everything since connect) and releases the backend. */
  async disconnect(): Promise<void> {
    const handle = this.#handle;
    if (!handle) return;
    this.#handle = undefined;
    this.#checkpoints.length = 0;
    this.#finished.clear();
    unpinScope(this.backend);
    handle.end();
    if (handle.tx.isOpen) await handle.tx.rollback();
  }

  /** Whether the pinned transaction is open. */
  isConnected(): boolean {
    return this.#handle?.isOpen ?? false;
  }

  /** The open checkpoints, oldest first. */
  get checkpoints(): readonly string[] {
    return [...this.#checkpoints];
  }

  /** Marks the current state under `name` (a SAVEPOINT). Names are identifiers and unique among open checkpoints. */
  async checkpoint(name: string): Promise<void> {
    const handle = this.#connected("checkpoint");
    if (typeof name !== "string" || !NAME.test(name)) {
      throw new TransactionError(`checkpoint name ${JSON.stringify(name)} is not valid: use letters, digits and _ (at most 48), not starting with a digit`);
    }
    if (this.#checkpoints.includes(name)) throw new TransactionError(`checkpoint "${name}" already exists; release or roll it back first`);
    this.#assertNoScopeOpen(handle, "checkpoint");
    await handle.tx.savepoint(savepointOf(name));
    this.#checkpoints.push(name);
    this.#finished.delete(name);
  }

  /**
   * Returns the database to checkpoint `name`, discarding it and every later
   * checkpoint. To come back to the same state again, take a new checkpoint.
   */
  async rollback(name: string): Promise<void> {
    const handle = this.#connected("rollback");
    const index = this.#indexOf(name, "roll back to");
    this.#assertNoScopeOpen(handle, "rollback");
    await handle.tx.rollbackToSavepoint(savepointOf(name));
    await handle.tx.releaseSavepoint(savepointOf(name));
    for (const dropped of this.#checkpoints.splice(index)) this.#finished.set(dropped, "rolled back");
  }

  /** Keeps the changes since checkpoint `name` and forgets it (and every later checkpoint). */
  async release(name: string): Promise<void> {
    const handle = this.#connected("release");
    const index = this.#indexOf(name, "release");
    this.#assertNoScopeOpen(handle, "release");
    await handle.tx.releaseSavepoint(savepointOf(name));
    for (const dropped of this.#checkpoints.splice(index)) this.#finished.set(dropped, "released");
  }

  /**
   * Empties tables and restarts their identity counters, inside the outer
   * transaction (so a later `rollback` to an earlier checkpoint undoes it).
   * On PostgreSQL, CASCADE also empties tables referencing these.
   */
  async reset(options: ResetOptions = {}): Promise<void> {
    const handle = this.#connected("reset");
    this.#assertNoScopeOpen(handle, "reset");
    const run = (query: Parameters<Backend["execute"]>[0]) => handle.execute(query);
    const existing = (await run(this.backend.dialect.listTables())).rows.map((r) => String(r.name));
    const unknown = [...(options.tables ?? []), ...(options.exclude ?? [])].filter((t) => !existing.includes(t));
    if (unknown.length) {
      throw new TransactionError(`reset(): no such table: ${unknown.join(", ")} (tables: ${existing.join(", ") || "none"})`);
    }
    const excluded = new Set(options.exclude ?? []);
    const tables = (options.tables ?? existing).filter((t) => !excluded.has(t));
    await this.backend.dialect.truncateTables(tables, run);
  }

  #connected(what: string): TransactionHandle {
    if (!this.#handle?.isOpen) throw new TransactionError(`StateManager.${what}(): not connected; call connect() first`);
    return this.#handle;
  }

  #indexOf(name: string, verb: string): number {
    const index = this.#checkpoints.indexOf(name);
    if (index >= 0) return index;
    const finished = this.#finished.get(name);
    if (finished) throw new TransactionError(`cannot ${verb} checkpoint "${name}": it was already ${finished}`);
    const open = this.#checkpoints.length ? `open checkpoints: ${this.#checkpoints.join(", ")}` : "no checkpoint is open";
    throw new TransactionError(`cannot ${verb} checkpoint "${name}": unknown checkpoint (${open})`);
  }

  /** A transaction opened by the code under test must end before checkpoints move, or savepoints would cross. */
  #assertNoScopeOpen(handle: TransactionHandle, what: string): void {
    if (handle.activeChild?.isOpen) {
      throw new TransactionError(`StateManager.${what}(): a transaction started by the code under test is still open; await it first`);
    }
  }
}

function savepointOf(name: string): string {
  return `edgerecord_cp_${name}`;
}
