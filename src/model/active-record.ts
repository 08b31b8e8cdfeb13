/**
 * The base class of every model. Decorators describe a model; this class does
 * the work: binding to a backend, queries, persistence, validation and
 * transactions. Attributes live as plain fields on the subclass.
 */
import type { Backend, BackendClass, QueryResult, Row, TransactionOptions } from "../backend/backend.ts";
import type { Condition, RawFragment } from "../query/ast.ts";
import { isRawFragment, rawQuery } from "../query/raw.ts";
import { RecordNotFoundError } from "../errors.ts";
import { backendOf, bind, disconnectAll, unbind } from "./binding.ts";
import { execute, executeFor, executeStatement } from "./execution.ts";
import { getModelMetadata, type ModelMetadata } from "./metadata.ts";
import { insertRecord, insertRows, primaryKeyCondition, updateRecord } from "./persistence.ts";
import { ModelQuery } from "./query.ts";
import { findByKeyStatement, keyValues } from "./statement-cache.ts";
import { applyRow, changedAttributes, hydrator, stateOf } from "./state.ts";
import { toJsonObject } from "./serialize.ts";
import type { AttributeName, CreateInput, Direction, ModelClass, WhereInput } from "./types.ts";
import { runTransaction } from "./transaction.ts";
import { getModelValidation } from "./validation.ts";

/** A primary key value, or an object of values for a composite key. */
export type PrimaryKeyValue = string | number | bigint | Record<string, unknown>;

function toRaw(source: RawFragment | string, params?: readonly unknown[]): RawFragment {
  return isRawFragment(source) ? source : rawQuery(source, params);
}

export abstract class ActiveRecord {
  // ---- configuration -------------------------------------------------------

  /**
   * Binds this model (and its subclasses) to a backend; on `ActiveRecord`
   * itself, every model without a binding of its own. Models configured with
   * the same backend class and config share one backend (one connection).
   */
  static configure<C>(this: abstract new () => ActiveRecord, config: C, BackendType: BackendClass<C>): Backend;
  static configure(this: abstract new () => ActiveRecord, backend: Backend): Backend;
  static configure<C>(this: abstract new () => ActiveRecord, config: C | Backend, BackendType?: BackendClass<C>): Backend {
    return bind(this, config, BackendType);
  }

  /** Removes this class's own binding (it falls back to its parent's, or to ActiveRecord's). */
  static unconfigure(): void {
    unbind(this);
  }

  /** The backend this model runs on. */
  static get backend(): Backend {
    return backendOf(this);
  }

  /** Closes every backend made by `configure(config, BackendClass)`. */
  static disconnectAll(): Promise<void> {
    return disconnectAll();
  }

  static get metadata(): ModelMetadata {
    return getModelMetadata(this as unknown as new () => ActiveRecord);
  }

  /** The zod schema of the model's attributes, as `create()` takes them; use it on request bodies too. */
  static get schema() {
    return getModelValidation(this.metadata).schema;
  }

  /**
   * Runs `work` in a transaction on this model's backend: every query inside,
   * on that backend, is part of it. A thrown error rolls back and is rethrown;
   * a nested call is a savepoint.
   */
  static transaction<R>(work: () => Promise<R>, options?: TransactionOptions): Promise<R> {
    return runTransaction(backendOf(this), work, options);
  }

  // ---- queries ---------------------------------------------------------------

  static query<T extends ActiveRecord>(this: ModelClass<T>): ModelQuery<T> {
    return new ModelQuery(this);
  }

  static where<T extends ActiveRecord>(this: ModelClass<T>, conditions: WhereInput<T> | RawFragment): ModelQuery<T> {
    return new ModelQuery(this).where(conditions);
  }

  static orderBy<T extends ActiveRecord>(this: ModelClass<T>, attribute: AttributeName<T>, direction?: Direction): ModelQuery<T> {
    return new ModelQuery(this).orderBy(attribute, direction);
  }

  static all<T extends ActiveRecord>(this: ModelClass<T>): Promise<T[]> {
    return new ModelQuery(this).all();
  }

  static first<T extends ActiveRecord>(this: ModelClass<T>): Promise<T | null> {
    return new ModelQuery(this).first();
  }

  static count<T extends ActiveRecord>(this: ModelClass<T>, conditions?: WhereInput<T>): Promise<number> {
    return (conditions ? new ModelQuery(this).where(conditions) : new ModelQuery(this)).count();
  }

  static exists<T extends ActiveRecord>(this: ModelClass<T>, conditions?: WhereInput<T>): Promise<boolean> {
    return (conditions ? new ModelQuery(this).where(conditions) : new ModelQuery(this)).exists();
  }

  static pluck<T extends ActiveRecord, K extends AttributeName<T>>(this: ModelClass<T>, attribute: K): Promise<T[K][]> {
    return new ModelQuery(this).pluck(attribute);
  }

  static sum<T extends ActiveRecord>(this: ModelClass<T>, attribute: AttributeName<T>): Promise<number | null> {
    return new ModelQuery(this).sum(attribute);
  }
  static avg<T extends ActiveRecord>(this: ModelClass<T>, attribute: AttributeName<T>): Promise<number | null> {
    return new ModelQuery(this).avg(attribute);
  }
  static min<T extends ActiveRecord, K extends AttributeName<T>>(this: ModelClass<T>, attribute: K): Promise<T[K] | null> {
    return new ModelQuery(this).min(attribute);
  }
  static max<T extends ActiveRecord, K extends AttributeName<T>>(this: ModelClass<T>, attribute: K): Promise<T[K] | null> {
    return new ModelQuery(this).max(attribute);
  }

  /** The record with this primary key, or null. */
  static async find<T extends ActiveRecord>(this: ModelClass<T>, key: PrimaryKeyValue): Promise<T | null> {
    const metadata = getModelMetadata(this);
    const backend = backendOf(this);
    const statement = findByKeyStatement(metadata, backend.dialect, keyValues(primaryKeyCondition(metadata, key)));
    const { rows } = await executeStatement(backend, statement);
    return rows.length ? hydrator(this, metadata, backend.dialect.values)(rows[0]!) : null;
  }

  /** The record with this primary key; a RecordNotFoundError naming model and key when there is none. */
  static async findOrFail<T extends ActiveRecord>(this: ModelClass<T>, key: PrimaryKeyValue): Promise<T> {
    const record = await this.find(key);
    if (!record) throw new RecordNotFoundError(this.name, key);
    return record;
  }

  /** The first record matching the conditions, or null. */
  static findBy<T extends ActiveRecord>(this: ModelClass<T>, conditions: WhereInput<T>): Promise<T | null> {
    return new ModelQuery(this).where(conditions).first();
  }

  // ---- writes --------------------------------------------------------------------

  /** Builds, validates and inserts a record. */
  static async create<T extends ActiveRecord>(this: ModelClass<T>, attributes: CreateInput<T>): Promise<T> {
    const record = new this();
    record.assign(attributes);
    await record.save();
    return record;
  }

  /**
   * Inserts many records in as few statements as the dialect's parameter
   * limit allows, all or nothing (one transaction when it takes several).
   * Every row is validated before anything is written. Returns the records,
   * or only the count with `{ returning: false }` (faster).
   */
  static insertMany<T extends ActiveRecord>(this: ModelClass<T>, rows: readonly CreateInput<T>[]): Promise<T[]>;
  static insertMany<T extends ActiveRecord>(this: ModelClass<T>, rows: readonly CreateInput<T>[], options: { returning: true }): Promise<T[]>;
  static insertMany<T extends ActiveRecord>(this: ModelClass<T>, rows: readonly CreateInput<T>[], options: { returning: false }): Promise<number>;
  static insertMany<T extends ActiveRecord>(
    this: ModelClass<T>,
    rows: readonly CreateInput<T>[],
    options: { returning?: boolean } = {},
  ): Promise<T[] | number> {
    return insertRows(this, rows as readonly Record<string, unknown>[], options.returning ?? true);
  }

  /** Updates every row matching the conditions; returns how many changed. */
  static updateWhere<T extends ActiveRecord>(this: ModelClass<T>, conditions: WhereInput<T>, values: CreateInput<T>): Promise<number> {
    return new ModelQuery(this).where(conditions).updateAll(values);
  }

  /** Deletes every row matching the conditions; returns how many. An empty condition is refused. */
  static deleteWhere<T extends ActiveRecord>(this: ModelClass<T>, conditions: WhereInput<T>): Promise<number> {
    if (Object.keys(conditions).length === 0) {
      throw new TypeError(`${this.name}.deleteWhere({}) would delete every row; say so with ${this.name}.query().deleteAll()`);
    }
    return new ModelQuery(this).where(conditions).deleteAll();
  }

  // ---- raw SQL ---------------------------------------------------------------------

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
    const backend = backendOf(this);
    const { rows } = await execute(backend, toRaw(source, params));
    return rows.map(hydrator(this, getModelMetadata(this), backend.dialect.values));
  }

  // ---- schema ------------------------------------------------------------------------

  /** CREATE TABLE (and its indexes) from the model's metadata. */
  static async createTable(options: { ifNotExists?: boolean } = {}): Promise<void> {
    const metadata = this.metadata;
    const ifNotExists = options.ifNotExists ?? false;
    await executeFor(this, { kind: "createTable", table: metadata.tableSchema, ifNotExists });
    for (const index of metadata.tableSchema.indexes) {
      await executeFor(this, { kind: "createIndex", table: metadata.table, name: index.name, columns: index.columns, unique: index.unique, ifNotExists });
    }
  }

  static async dropTable(options: { ifExists?: boolean } = {}): Promise<void> {
    await executeFor(this, { kind: "dropTable", table: this.metadata.table, ifExists: options.ifExists ?? false });
  }

  static async tableExists(): Promise<boolean> {
    const { rows } = await executeFor(this, { kind: "tableExists", table: this.metadata.table });
    return rows.length > 0;
  }

  /** CREATE INDEX on some attributes (names checked against the model). */
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

  static async dropIndex(name: string, options: { ifExists?: boolean } = {}): Promise<void> {
    await executeFor(this, { kind: "dropIndex", name, ifExists: options.ifExists ?? false });
  }

  // ---- instances ----------------------------------------------------------------------

  /** Sets attributes from an object; unknown keys are an error, naming the model and key. */
  assign(attributes: CreateInput<this>): this {
    const metadata = this.#metadata;
    for (const [key, value] of Object.entries(attributes as Record<string, unknown>)) {
      metadata.attribute(key);
      (this as Record<string, unknown>)[key] = value;
    }
    return this;
  }

  /** True once the record has been loaded from or written to the database. */
  get isPersisted(): boolean {
    return stateOf(this).persisted;
  }

  /**
   * Inserts a new record, or updates the changed columns of a loaded one (no
   * statement at all when nothing changed). Validates first.
   */
  async save(): Promise<this> {
    const model = this.constructor as ModelClass<this>;
    if (stateOf(this).persisted) await updateRecord(model, this);
    else await insertRecord(model, this);
    return this;
  }

  /** Deletes the record's row. Returns false when no row had its key any more. */
  async delete(): Promise<boolean> {
    const model = this.constructor as ModelClass<this>;
    const metadata = this.#metadata;
    const result = await executeFor(model, { kind: "delete", table: metadata.table, where: this.#keyCondition() });
    stateOf(this).persisted = false;
    return result.affectedRows > 0;
  }

  /** Reads the row again, discarding unsaved changes. */
  async reload(): Promise<this> {
    const model = this.constructor as ModelClass<this>;
    const metadata = this.#metadata;
    const backend = backendOf(model);
    const { rows } = await execute(backend, { kind: "select", table: metadata.table, columns: [], where: this.#keyCondition(), limit: 1 });
    if (!rows[0]) throw new RecordNotFoundError(metadata.name, this.#keyValue());
    applyRow(this, rows[0], metadata, backend.dialect.values);
    return this;
  }

  /** Whether any attribute (or this one) differs from what the database holds. */
  isDirty(attribute?: AttributeName<this>): boolean {
    const changed = changedAttributes(this, this.#metadata);
    return attribute ? changed.some((a) => a.property === attribute) : changed.length > 0;
  }

  /** `{ attribute: [before, after] }` for each changed attribute. */
  changes(): Record<string, [unknown, unknown]> {
    const { original } = stateOf(this);
    const out: Record<string, [unknown, unknown]> = {};
    for (const a of changedAttributes(this, this.#metadata)) {
      out[a.property] = [original[a.property], (this as Record<string, unknown>)[a.property]];
    }
    return out;
  }

  /** The attribute values as last read from or written to the database. */
  original(attribute: AttributeName<this>): unknown {
    return stateOf(this).original[attribute];
  }

  /** Attributes as JSON-safe values: dates as ISO strings, bigints as strings, bytes as base64. */
  toJSON(): Record<string, unknown> {
    return toJsonObject(this, this.#metadata);
  }

  get #metadata(): ModelMetadata {
    return getModelMetadata(this.constructor as new () => ActiveRecord);
  }

  #keyValue(): PrimaryKeyValue {
    const { original } = stateOf(this);
    const keys = this.#metadata.primaryKey;
    const value = (p: string) => (p in original ? original[p] : (this as Record<string, unknown>)[p]);
    if (keys.length === 1) return value(keys[0]!.property) as PrimaryKeyValue;
    return Object.fromEntries(keys.map((k) => [k.property, value(k.property)]));
  }

  #keyCondition(): Condition {
    return primaryKeyCondition(this.#metadata, this.#keyValue());
  }
}
