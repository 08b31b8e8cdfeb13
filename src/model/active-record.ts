/**
 * The base class of every model. Decorators describe a model; this class does
 * the work: queries, persistence, validation, relations and transactions.
 * Attributes live as plain fields on the subclass.
 */
import { ConfigurationError, IntegrityError, RecordNotFoundError } from "../errors.ts";
import { assignmentEntries, type WriteOptions } from "./assignment.ts";
import { findByKeys, lookupKey } from "./lookup-key.ts";
import { refuseEverything } from "./query-writes.ts";
import { incrementRecord, touchRecord } from "./counters.ts";
import { sessionOf, markRootModel } from "./binding.ts";
import { insertRows } from "./bulk.ts";
import { execute, executeStatement } from "./execution.ts";
import { registerHook, type Hook, type HookEvent } from "./hooks.ts";
import { getModelMetadata, type ModelMetadata } from "./metadata.ts";
import { deleteRecord, insertRecord, persistedKey, primaryKeyCondition, updateRecord } from "./persistence.ts";
import { ModelQuery } from "./query.ts";
import { findByKeyStatement } from "./statement-cache.ts";
import { RecordSchema } from "./record-schema.ts";
import { eagerLoad, parsePaths, relatedQuery } from "./relations/registry.ts";
import type { RelatedQuery } from "./relations/related.ts";
import { toJsonObject } from "./serialize.ts";
import { applyRow, hydrator } from "./hydration.ts";
import { changedAttributes, stateOf } from "./state.ts";
import { inTransaction, runTransaction } from "../transaction/runner.ts";
import type { AttributeName, Attributes, Conditions, CreateInput, Direction, Loaded, ModelClass, Related, RelatedFilterFor, RelationName, RelationPath, WhereInput } from "./types.ts";

/** A primary key value, or an object of values for a composite key. */
export type { Related };
/** A primary key value: one value, or an object of values for a composite key. */
export type PrimaryKeyValue = string | number | bigint | Record<string, unknown>;

/** The base class of every model: statics to query and write, instance methods to save, delete and track changes. */
export abstract class ActiveRecord extends RecordSchema {
  /** Type-level only (no runtime field): marks model instances, see RecordBrand. */
  declare readonly __edgerecordRecord: true;

  // ---- queries -------------------------------------------------------------------

  /** A query over every record of the model, to build on. */
  static query<T extends ActiveRecord>(this: ModelClass<T>): ModelQuery<T> {
    return new ModelQuery(this);
  }

  /**
   * Records matching the conditions: `User.where({ name: "Ann", age: gte(30) })`.
   * A plain value means `=`, null means `IS NULL`; operators come from
   * functions (`gte`, `oneOf`, `startsWith`...), groups from `and`/`or`/`not`.
   */
  static where<T extends ActiveRecord>(this: ModelClass<T>, conditions: Conditions<T>): ModelQuery<T> {
    return new ModelQuery(this).where(conditions);
  }

  /** Records in this order: `User.orderBy("createdAt", "desc")`. */
  static orderBy<T extends ActiveRecord>(this: ModelClass<T>, attribute: AttributeName<T>, direction?: Direction): ModelQuery<T> {
    return new ModelQuery(this).orderBy(attribute, direction);
  }

  /** A query that loads these relations with its records: `Post.with("author", "tags.posts")`. */
  static with<T extends ActiveRecord, P extends RelationPath<T>>(this: ModelClass<T>, ...relations: P[]): ModelQuery<T, Loaded<T, P>, Attributes<T>> {
    return new ModelQuery(this).with(...relations);
  }

  /** Records with at least one related record matching the filter. */
  static whereHas<T extends ActiveRecord, K extends RelationName<T>>(this: ModelClass<T>, relation: K, filter?: RelatedFilterFor<T, K>): ModelQuery<T> {
    return new ModelQuery(this).whereHas(relation, filter);
  }

  /** Records with no related record matching the filter. */
  static whereDoesntHave<T extends ActiveRecord, K extends RelationName<T>>(this: ModelClass<T>, relation: K, filter?: RelatedFilterFor<T, K>): ModelQuery<T> {
    return new ModelQuery(this).whereDoesntHave(relation, filter);
  }

  /** A query that includes soft-deleted records. */
  static withTrashed<T extends ActiveRecord>(this: ModelClass<T>): ModelQuery<T> {
    return new ModelQuery(this).withTrashed();
  }

  /** A query over soft-deleted records only. */
  static onlyTrashed<T extends ActiveRecord>(this: ModelClass<T>): ModelQuery<T> {
    return new ModelQuery(this).onlyTrashed();
  }

  /** Every record (soft-deleted ones left out). */
  static async all<T extends ActiveRecord>(this: ModelClass<T>): Promise<T[]> {
    return new ModelQuery(this).all();
  }

  /** The first record, or null. */
  static async first<T extends ActiveRecord>(this: ModelClass<T>): Promise<T | null> {
    return new ModelQuery(this).first();
  }

  /** How many records match the conditions (all records without them). */
  static async count<T extends ActiveRecord>(this: ModelClass<T>, conditions?: Conditions<T>): Promise<number> {
    return (conditions === undefined ? new ModelQuery(this) : new ModelQuery(this).where(conditions)).count();
  }

  /** Whether any record matches the conditions. */
  static async exists<T extends ActiveRecord>(this: ModelClass<T>, conditions?: Conditions<T>): Promise<boolean> {
    return (conditions === undefined ? new ModelQuery(this) : new ModelQuery(this).where(conditions)).exists();
  }

  /** One attribute's values, one per record. */
  static async pluck<T extends ActiveRecord, K extends AttributeName<T>>(this: ModelClass<T>, attribute: K): Promise<T[K][]> {
    return new ModelQuery(this).pluck(attribute);
  }

  /** The sum of an attribute over every record; null when there are none. */
  static async sum<T extends ActiveRecord>(this: ModelClass<T>, attribute: AttributeName<T>): Promise<number | null> {
    return new ModelQuery(this).sum(attribute);
  }
  /** The average of an attribute over every record; null when there are none. */
  static async avg<T extends ActiveRecord>(this: ModelClass<T>, attribute: AttributeName<T>): Promise<number | null> {
    return new ModelQuery(this).avg(attribute);
  }
  /** The smallest value of an attribute; null when there are no records. */
  static async min<T extends ActiveRecord, K extends AttributeName<T>>(this: ModelClass<T>, attribute: K): Promise<T[K] | null> {
    return new ModelQuery(this).min(attribute);
  }
  /** The largest value of an attribute; null when there are no records. */
  static async max<T extends ActiveRecord, K extends AttributeName<T>>(this: ModelClass<T>, attribute: K): Promise<T[K] | null> {
    return new ModelQuery(this).max(attribute);
  }

  /** One page of records (pages count from 1), with the total count and the last page number. */
  static async paginate<T extends ActiveRecord>(
    this: ModelClass<T>,
    page: number,
    perPage: number,
  ): Promise<{ rows: T[]; total: number; page: number; perPage: number; lastPage: number }> {
    return new ModelQuery(this).paginate(page, perPage);
  }

  /** The record with this primary key, or null (soft-deleted records count as absent). */
  static async find<T extends ActiveRecord>(this: ModelClass<T>, key: PrimaryKeyValue): Promise<T | null> {
    const metadata = getModelMetadata(this);
    const session = sessionOf(this);
    const statement = findByKeyStatement(metadata, session.dialect, lookupKey(metadata, key));
    const { rows } = await executeStatement(session, statement);
    return rows.length ? hydrator(this, metadata, session.dialect.values)(rows[0]!) : null;
  }

  /** The record with this primary key; a RecordNotFoundError naming model and key when there is none. */
  static async findOrFail<T extends ActiveRecord>(this: ModelClass<T>, key: PrimaryKeyValue): Promise<T> {
    const record = await this.find(key);
    if (!record) throw new RecordNotFoundError(this.name, key);
    return record;
  }

  /**
   * The records with these primary keys, in the order of `keys` (absent ones
   * left out, each key checked against its column), in one query.
   */
  static async findMany<T extends ActiveRecord>(this: ModelClass<T>, keys: readonly PrimaryKeyValue[]): Promise<T[]> {
    return findByKeys(this, keys);
  }

  /** The first record matching the conditions; a RecordNotFoundError naming the model when there is none. */
  static async firstOrFail<T extends ActiveRecord>(this: ModelClass<T>, conditions?: Conditions<T>): Promise<T> {
    return (conditions === undefined ? new ModelQuery(this) : new ModelQuery(this).where(conditions)).firstOrFail();
  }

  /**
   * Finds the record by key, assigns `attributes` (guarded ones refused unless
   * allowed), validates and saves it with its hooks; RecordNotFoundError when
   * there is none. Returns the saved record.
   */
  static async update<T extends ActiveRecord>(this: ModelClass<T>, key: PrimaryKeyValue, attributes: CreateInput<T>, options?: WriteOptions): Promise<T> {
    const record = await this.findOrFail(key);
    record.assign(attributes, options);
    return record.save();
  }

  /** The first record matching the conditions, or null. */
  static async findBy<T extends ActiveRecord>(this: ModelClass<T>, conditions: Conditions<T>): Promise<T | null> {
    return new ModelQuery(this).where(conditions).first();
  }

  // ---- writes ----------------------------------------------------------------------

  /** Builds, validates and inserts a record. Guarded attributes are refused unless `{ allowGuarded: true }`. */
  static async create<T extends ActiveRecord>(this: ModelClass<T>, attributes: CreateInput<T>, options?: WriteOptions): Promise<T> {
    const record = new this();
    record.assign(attributes, options);
    await record.save();
    return record;
  }

  /**
   * Inserts many records in as few statements as the dialect's parameter
   * limit allows, all or nothing (when it takes several: the backend's atomic
   * `batch()` outside a transaction, where it has one; else a transaction).
   * Every row is validated before anything is written. Returns the records,
   * or only the count with `{ returning: false }` (faster). Hooks do not run.
   */
  static insertMany<T extends ActiveRecord>(this: ModelClass<T>, rows: readonly CreateInput<T>[], options?: WriteOptions & { returning?: true }): Promise<T[]>;
  /** With `{ returning: false }`: inserts the rows and returns how many were inserted. */
  static insertMany<T extends ActiveRecord>(this: ModelClass<T>, rows: readonly CreateInput<T>[], options: WriteOptions & { returning: false }): Promise<number>;
  static insertMany<T extends ActiveRecord>(this: ModelClass<T>, rows: readonly CreateInput<T>[], options: WriteOptions & { returning?: boolean } = {}): Promise<T[] | number> {
    return insertRows(this, rows as readonly Record<string, unknown>[], { returning: options.returning ?? true, allowGuarded: options.allowGuarded ?? false });
  }

  /**
   * Inserts rows, or updates the existing row where one with the same
   * `uniqueBy` attributes exists (INSERT ... ON CONFLICT). `update` names the
   * attributes to overwrite (default: every given attribute but the keys).
   */
  static upsert<T extends ActiveRecord>(
    this: ModelClass<T>,
    rows: readonly CreateInput<T>[],
    options: WriteOptions & { uniqueBy: readonly AttributeName<T>[]; update?: readonly AttributeName<T>[] },
  ): Promise<T[]> {
    return insertRows(this, rows as readonly Record<string, unknown>[], { returning: true, onConflict: options, allowGuarded: options.allowGuarded ?? false }) as Promise<T[]>;
  }

  /** The first record matching `search`, or a new one created from `search` and `extra`. Safe against a concurrent insert of the same unique key. */
  static async firstOrCreate<T extends ActiveRecord>(this: ModelClass<T>, search: CreateInput<T>, extra: CreateInput<T> = {}, options?: WriteOptions): Promise<T> {
    const conditions = search as WhereInput<T>;
    const found = await new ModelQuery(this).where(conditions).first();
    if (found) return found;
    try {
      // A savepoint when a transaction is open: a failed INSERT must not poison it.
      const create = () => this.create({ ...search, ...extra } as CreateInput<T>, options);
      return inTransaction(sessionOf(this)) ? await runTransaction(sessionOf(this), create) : await create();
    } catch (error) {
      if (!(error instanceof IntegrityError && error.kind === "unique")) throw error;
      const raced = await new ModelQuery(this).where(conditions).first();
      if (!raced) throw error;
      return raced;
    }
  }

  /** Updates the first record matching `search` with `values`, or creates one from both. */
  static async updateOrCreate<T extends ActiveRecord>(this: ModelClass<T>, search: CreateInput<T>, values: CreateInput<T>, options?: WriteOptions): Promise<T> {
    // Checked before the search runs, so a refused value never costs a query.
    assignmentEntries(getModelMetadata(this), values, options);
    const found = await new ModelQuery(this).where(search as WhereInput<T>).first();
    if (!found) return this.create({ ...search, ...values } as CreateInput<T>, options);
    found.assign(values, options);
    return found.save();
  }

  /** Updates every row matching the conditions; returns how many changed. An empty condition is refused. */
  static async updateWhere<T extends ActiveRecord>(this: ModelClass<T>, conditions: Conditions<T>, values: CreateInput<T>, options?: WriteOptions): Promise<number> {
    const query = new ModelQuery(this).where(conditions);
    refuseEverything(this.name, conditions, "updateWhere", "updateAll(values)");
    return query.updateAll(values, options);
  }

  /** Deletes (or soft-deletes) every row matching the conditions; returns how many. An empty condition is refused. */
  static async deleteWhere<T extends ActiveRecord>(this: ModelClass<T>, conditions: Conditions<T>): Promise<number> {
    const query = new ModelQuery(this).where(conditions);
    refuseEverything(this.name, conditions, "deleteWhere", "deleteAll()");
    return query.deleteAll();
  }

  /** The bookmark of the D1 session this context runs in, for the next request (`Backend.bookmark`); undefined without one. */
  static bookmark(): string | null | undefined {
    return sessionOf(this).backend.bookmark?.();
  }

  /** Registers a lifecycle hook on this model (and its subclasses). */
  static hook<T extends ActiveRecord>(this: ModelClass<T>, event: HookEvent, hook: Hook<T>): void {
    registerHook(this, event, hook as Hook);
  }

  // ---- instances ------------------------------------------------------------------------

  /**
   * Sets attributes from an object, all or none: an unknown key, or a guarded
   * attribute without `{ allowGuarded: true }`, is an error naming the model
   * and key, and leaves the record as it was.
   */
  assign(attributes: CreateInput<this>, options?: WriteOptions): this {
    for (const [key, value] of assignmentEntries(metadataOf(this), attributes, options)) (this as Record<string, unknown>)[key] = value;
    return this;
  }

  /** True once the record has been loaded from or written to the database (and not deleted). */
  get isPersisted(): boolean {
    return stateOf(this).persisted;
  }

  /** On a soft-delete model: whether this record is marked deleted. */
  get isTrashed(): boolean {
    const soft = metadataOf(this).softDelete;
    return soft ? (this as Record<string, unknown>)[soft.property] != null : false;
  }

  /**
   * Inserts a new record, or updates the changed columns of a loaded one (no
   * statement at all when nothing changed). Validates and runs hooks first.
   */
  async save(): Promise<this> {
    const model = this.constructor as ModelClass<this>;
    if (stateOf(this).persisted) await updateRecord(model, this);
    else await insertRecord(model, this);
    return this;
  }

  /** Deletes the record's row (soft-deletes it on a soft-delete model). Returns false when no row had its key any more. */
  delete(): Promise<boolean> {
    return deleteRecord(this.constructor as ModelClass<this>, this, false);
  }

  /** Removes the row even on a soft-delete model. */
  forceDelete(): Promise<boolean> {
    return deleteRecord(this.constructor as ModelClass<this>, this, true);
  }

  /** Clears the soft-delete mark and saves. */
  async restore(): Promise<this> {
    const soft = metadataOf(this).softDelete;
    if (!soft) throw new ConfigurationError(`${this.constructor.name} has no soft-delete column (@column.deletedAt())`);
    (this as Record<string, unknown>)[soft.property] = null;
    return this.save();
  }

  /**
   * Adds `by` (default 1) to a numeric attribute in SQL (`views = views + 1`),
   * so concurrent increments never lose a count; the record takes the new
   * value. Skips validation and hooks; other unsaved changes stay unsaved.
   */
  increment(attribute: AttributeName<this>, by: number | bigint = 1): Promise<this> {
    return incrementRecord(this, attribute, by);
  }

  /** Subtracts `by` (default 1) in SQL, like `increment`. */
  decrement(attribute: AttributeName<this>, by: number | bigint = 1): Promise<this> {
    return incrementRecord(this, attribute, -by);
  }

  /** Sets the `updatedAt` column(s) to now and nothing else. */
  touch(): Promise<this> {
    return touchRecord(this);
  }

  /** Reads the row again, discarding unsaved changes. */
  async reload(): Promise<this> {
    const model = this.constructor as ModelClass<this>;
    const metadata = metadataOf(this);
    const session = sessionOf(model);
    const key = persistedKey(metadata, this);
    const { rows } = await execute(session, { kind: "select", table: metadata.table, columns: [], where: primaryKeyCondition(metadata, key), limit: 1 });
    if (!rows[0]) throw new RecordNotFoundError(metadata.name, key);
    applyRow(this, rows[0], metadata, session.dialect.values);
    return this;
  }

  /** Loads relations into this record (`await post.load("author", "tags")`), one query per relation; the result is typed with them loaded. */
  async load<P extends RelationPath<this>>(...relations: P[]): Promise<Loaded<this, P>> {
    await eagerLoad(this.constructor as ModelClass<this>, [this], parsePaths(this.constructor as ModelClass<this>, relations));
    return this as Loaded<this, P>;
  }

  /** Works through a relation: a scoped query that can also create, attach and detach. */
  related<K extends RelationName<this>>(relation: K): RelatedQuery<Related<this[K]> & ActiveRecord> {
    return relatedQuery(this, relation) as RelatedQuery<Related<this[K]> & ActiveRecord>;
  }

  /** Whether any attribute (or this one) differs from what the database holds. */
  isDirty(attribute?: AttributeName<this>): boolean {
    const changed = changedAttributes(this, metadataOf(this));
    return attribute ? changed.some((a) => a.property === attribute) : changed.length > 0;
  }

  /** `{ attribute: [before, after] }` for each changed attribute. */
  changes(): Record<string, [unknown, unknown]> {
    const { original } = stateOf(this);
    const out: Record<string, [unknown, unknown]> = {};
    for (const a of changedAttributes(this, metadataOf(this))) {
      out[a.property] = [original[a.property], (this as Record<string, unknown>)[a.property]];
    }
    return out;
  }

  /** An attribute's value as last read from or written to the database. */
  original(attribute: AttributeName<this>): unknown {
    return stateOf(this).original[attribute];
  }

  /** Attributes (minus hidden ones) and loaded relations as JSON-safe values: ISO dates, bigints as strings, bytes as base64. */
  toJSON(): Record<string, unknown> {
    return toJsonObject(this, metadataOf(this));
  }
}

markRootModel(ActiveRecord);


/**
 * A record's model metadata. A module function rather than a private member:
 * private members would make every model class type unexportable from a
 * function (declaration emit refuses them, TS4094).
 */
function metadataOf(record: ActiveRecord): ModelMetadata {
  return getModelMetadata(record.constructor as new () => ActiveRecord);
}
