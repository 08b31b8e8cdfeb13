/**
 * The statics every model inherits for binding, schema and raw SQL. Kept apart
 * from ActiveRecord (which extends this) so each file holds one concern.
 */
import type { Backend, BackendClass, QueryResult, Row } from "../backend/backend.ts";
import type { RawFragment } from "../query/ast.ts";
import { isRawFragment, rawQuery } from "../query/raw.ts";
import { sessionOf, bind, disconnectAll, unbind } from "./binding.ts";
import { execute, executeFor } from "./execution.ts";
import { getModelMetadata, type ModelMetadata } from "./metadata.ts";
import { hydrator } from "./hydration.ts";
import { joinTablesOf } from "./relations/registry.ts";
import { afterCommit, afterRollback } from "../transaction/after.ts";
import { runTransaction, type TransactionScopeOptions, type TransactionWork } from "../transaction/runner.ts";
import { usingTransaction } from "./using.ts";
import { runOnPrimary, runRequestScope } from "../transaction/request.ts";
import { onQuery, type QueryListener } from "../transaction/events.ts";
import { ArgumentError } from "../errors.ts";
import type { ReplicatedConfig } from "../backend/replicas/config.ts";
import type { TransactionHandle } from "../transaction/handle.ts";
import type { TransactionCallback } from "../transaction/callbacks.ts";
import type { ActiveRecord } from "./active-record.ts";
import type { AttributeName, ModelClass } from "./types.ts";
import { getModelValidation, type ModelValidation } from "./validation.ts";
import { requestSchemas, type RequestSchemas } from "./request-schemas.ts";

function toRaw(source: RawFragment | string, params?: readonly unknown[]): RawFragment {
  return isRawFragment(source) ? source : rawQuery(source, params);
}

/** The statics every model inherits for binding, schema and raw SQL (ActiveRecord extends it). */
export abstract class RecordSchema {
  /**
   * Binds this model (and its subclasses) to a backend; on `ActiveRecord`
   * itself, every model without a binding of its own. Models configured with
   * the same backend class and config share one backend (one connection).
   */
  static configure<C>(config: ReplicatedConfig<C>, BackendType: BackendClass<C>): Backend;
  /** Binds this model to a backend made from `config` by `BackendType` (shared with models configured alike). */
  static configure<C>(config: C, BackendType: BackendClass<C>): Backend;
  /** Binds this model to a backend instance. */
  static configure(backend: Backend): Backend;
  static configure<C>(config: C | Backend, BackendType?: BackendClass<C>): Backend {
    return bind(this, config, BackendType);
  }

  /** Removes this class's own binding (it falls back to its parent's, or to ActiveRecord's). */
  static unconfigure(): void {
    unbind(this);
  }

  /** The backend this model runs on (for `Model.using(tx)`, the backend of that transaction). */
  static get backend(): Backend {
    return sessionOf(this).backend;
  }

  /** Closes every backend made by `configure(config, BackendClass)`. */
  static disconnectAll(): Promise<void> {
    return disconnectAll();
  }

  /** The model's metadata: table, attributes, keys, indexes. */
  static get metadata(): ModelMetadata {
    return getModelMetadata(this as unknown as new () => object);
  }

  /**
   * The zod schema of every attribute as stored, which `save()` checks. It
   * includes guarded and generated columns: for request bodies use
   * `insertSchema()` and `updateSchema()`.
   */
  static get schema(): ModelValidation["schema"] {
    return getModelValidation(this.metadata).schema;
  }

  /** The schema of a request body that creates a record: client-writable attributes only, unknown keys refused. */
  static insertSchema<T extends ActiveRecord>(this: ModelClass<T>): RequestSchemas<T>["insert"] {
    return requestSchemas<T>(getModelMetadata(this)).insert;
  }

  /** The schema of a request body that changes a record: like `insertSchema()`, every attribute optional. */
  static updateSchema<T extends ActiveRecord>(this: ModelClass<T>): RequestSchemas<T>["update"] {
    return requestSchemas<T>(getModelMetadata(this)).update;
  }

  /** The schema of a record as `toJSON()` writes it, for responses and API docs. */
  static selectSchema<T extends ActiveRecord>(this: ModelClass<T>): RequestSchemas<T>["select"] {
    return requestSchemas<T>(getModelMetadata(this)).select;
  }

  /**
   * Runs `work` in a transaction on this model's backend: every query inside,
   * on that backend, is part of it. A thrown error rolls back and is rethrown;
   * a nested call is a savepoint. `work` receives the transaction as a handle
   * for the explicit form (`Model.using(tx)`). See docs/transactions.md.
   */
  static transaction<R>(work: TransactionWork<R>, options?: TransactionScopeOptions): Promise<R> {
    return runTransaction(sessionOf(this), work, options);
  }

  /**
   * Runs `work` with every statement on the primary, reads included, for
   * models configured with `{ primary, replicas }` (others read their one
   * database anyway). See docs/scaling.md.
   */
  static onPrimary<R>(work: () => Promise<R>): Promise<R> {
    return runOnPrimary(work);
  }

  /**
   * Runs `work` as one request (wrap each request in it, e.g. in a
   * middleware): once it writes on a database with replicas, its reads there
   * stay on the primary, so it reads its own writes. See docs/scaling.md.
   */
  static requestScope<R>(work: () => Promise<R>): Promise<R> {
    return runRequestScope(work);
  }

  /**
   * Hears every statement models run, after it answered or failed: SQL,
   * parameter count (never the values), duration, node (primary/replica),
   * whether in a transaction, the error. Returns the function that removes
   * the listener. With none attached it costs nothing. See docs/scaling.md.
   */
  static on(event: "query", listener: QueryListener): () => void {
    if (event !== "query") throw new ArgumentError(`on() knows the "query" event only, got ${String(event)}`);
    return onQuery(listener);
  }

  /** This model, bound to an explicit transaction handle: its queries run in that transaction. */
  static using<M extends abstract new () => object>(this: M, tx: TransactionHandle): M {
    return usingTransaction(this, tx);
  }

  /** Runs `fn` once after the outermost transaction on this model's backend commits (at once outside one). */
  static afterCommit(fn: TransactionCallback): Promise<void> {
    return afterCommit(fn, sessionOf(this));
  }

  /** Runs `fn` once after the outermost transaction on this model's backend ends, if this scope's work was rolled back. */
  static afterRollback(fn: TransactionCallback): Promise<void> {
    return afterRollback(fn, sessionOf(this));
  }

  /** Runs raw SQL (a sql`` fragment, or text with `?` placeholders and params); returns plain rows. */
  static async raw(source: RawFragment | string, params?: readonly unknown[]): Promise<Row[]> {
    return (await executeFor(this, toRaw(source, params))).rows;
  }

  /** Runs raw SQL and returns the whole result (rows, affectedRows, lastInsertId). */
  static execute(source: RawFragment | string, params?: readonly unknown[]): Promise<QueryResult> {
    return executeFor(this, toRaw(source, params));
  }

  /** Runs a raw SELECT and builds records from its rows (columns matched by name). */
  static async findBySql<T extends ActiveRecord>(this: ModelClass<T>, source: RawFragment | string, params?: readonly unknown[]): Promise<T[]> {
    const session = sessionOf(this);
    const { rows } = await execute(session, toRaw(source, params));
    return rows.map(hydrator(this, getModelMetadata(this), session.dialect.values));
  }

  /** CREATE TABLE (and its indexes) from the model's metadata. */
  static async createTable(options: { ifNotExists?: boolean } = {}): Promise<void> {
    const metadata = this.metadata;
    const ifNotExists = options.ifNotExists ?? false;
    await executeFor(this, { kind: "createTable", table: metadata.tableSchema, ifNotExists });
    for (const index of metadata.tableSchema.indexes) {
      await executeFor(this, { kind: "createIndex", table: metadata.table, name: index.name, columns: index.columns, unique: index.unique, ifNotExists });
    }
  }

  /**
   * CREATE TABLE IF NOT EXISTS for the join tables of the model's manyToMany
   * relations, described from the relation (no model or DDL to write for
   * them): both key columns, a composite primary key, foreign keys with ON
   * DELETE CASCADE and an index. Call it once both sides' tables exist.
   */
  static async createJoinTables(): Promise<void> {
    for (const table of joinTablesOf(this)) {
      await executeFor(this, { kind: "createTable", table, ifNotExists: true });
      for (const index of table.indexes) {
        await executeFor(this, { kind: "createIndex", table: table.name, name: index.name, columns: index.columns, unique: index.unique, ifNotExists: true });
      }
    }
  }

  /** DROP TABLE of the model's table. */
  static async dropTable(options: { ifExists?: boolean } = {}): Promise<void> {
    await executeFor(this, { kind: "dropTable", table: this.metadata.table, ifExists: options.ifExists ?? false });
  }

  /** Whether the model's table exists. */
  static async tableExists(): Promise<boolean> {
    const { rows } = await executeFor(this, { kind: "tableExists", table: this.metadata.table });
    return rows.length > 0;
  }

  /** CREATE INDEX on some attributes (names checked against the model). Returns the index name. */
  static async createIndex<T extends ActiveRecord>(
    this: ModelClass<T>,
    attributes: readonly AttributeName<T>[],
    options: { name?: string; unique?: boolean; ifNotExists?: boolean } = {},
  ): Promise<string> {
    const metadata = getModelMetadata(this);
    const columns = attributes.map((a) => metadata.attribute(a).column);
    const name = options.name ?? `${metadata.table}_${columns.join("_")}_${options.unique ? "key" : "idx"}`;
    await executeFor(this, { kind: "createIndex", table: metadata.table, name, columns, unique: options.unique ?? false, ifNotExists: options.ifNotExists ?? false });
    return name;
  }

  /** DROP INDEX by name. */
  static async dropIndex(name: string, options: { ifExists?: boolean } = {}): Promise<void> {
    await executeFor(this, { kind: "dropIndex", name, ifExists: options.ifExists ?? false });
  }
}
