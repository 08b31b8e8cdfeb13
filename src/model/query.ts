/**
 * A model-bound query: an immutable description plus the model it belongs
 * to. The builder methods (query-builder.ts) check names against the model's
 * metadata and return a new query; the methods here compile it with the
 * model's dialect, run it in the ambient transaction (if any) and hydrate
 * records, or write over the rows it matches.
 */
import type { QueryResult } from "../backend/backend.ts";
import type { Condition, SelectQuery } from "../query/ast.ts";
import { SqlFragment } from "../query/raw.ts";
import { RecordNotFoundError } from "../errors.ts";
import { defined } from "./defined.ts";
import type { ActiveRecord, PrimaryKeyValue } from "./active-record.ts";
import type { Aggregate } from "./aggregates.ts";
import type { WriteOptions } from "./assignment.ts";
import { inBatches, type BatchOptions } from "./batches.ts";
import { sessionOf } from "./binding.ts";
import { execute, executeStatement } from "./execution.ts";
import { hydrateArrays, hydrator } from "./hydration.ts";
import { keysetPage, ownOrdering } from "./keyset.ts";
import { lookupKey } from "./lookup-key.ts";
import { primaryKeyCondition } from "./persistence.ts";
import { integerAtLeast, QueryBuilder, type QueryState } from "./query-builder.ts";
import { aggregateOne, plainRows } from "./query-rows.ts";
import { incrementRows, refuseJoins, updateRows } from "./query-writes.ts";
import { applyExtras, eagerLoad } from "./relations/registry.ts";
import type { AttributeName, Attributes, CreateInput, ModelClass } from "./types.ts";

const SELECT_ONE = new SqlFragment(["1"], []);

/** An immutable query over a model's records: each builder method returns a new query; await it for the records. */
export class ModelQuery<T extends ActiveRecord, R = T, W = Attributes<R>> extends QueryBuilder<T, R, W> {
  /** @internal Builder methods return queries of this class. */
  protected make<M extends ActiveRecord>(model: ModelClass<M>, state: QueryState): ModelQuery<M> {
    return new ModelQuery(model, state);
  }

  /** The SQL and parameters this query runs as, on the model's backend. */
  toSQL(): { sql: string; params: readonly unknown[] } {
    return sessionOf(this.model).dialect.compile(this.toQuery());
  }

  /** Every matching record. */
  async all(): Promise<R[]> {
    const session = sessionOf(this.model);
    const compiled = session.dialect.compile(this.toQuery());
    return this.recordsFrom(await executeStatement(session, { sql: compiled.sql, params: compiled.params, kind: compiled.kind, arrayRows: true }));
  }

  /**
   * The records of a result of this query: hydrated, with their relation aggregates and eager loads.
   * @internal
   */
  async recordsFrom(result: QueryResult): Promise<R[]> {
    const values = sessionOf(this.model).dialect.values;
    const records = result.values ? hydrateArrays(this.model, this.metadata, values, result.values) : result.rows.map(hydrator(this.model, this.metadata, values));
    if (this.state.extras) applyExtras(records, result, this.state.extras, values);
    if (this.state.with) await eagerLoad(this.model, records, this.state.with);
    return records as unknown as R[];
  }

  /** One page of records plus the totals: `{ rows, total, page, perPage, lastPage }` (pages count from 1). */
  async paginate(page: number, perPage: number): Promise<{ rows: R[]; total: number; page: number; perPage: number; lastPage: number }> {
    const model = this.metadata.name;
    integerAtLeast(model, "paginate() page (pages count from 1)", page, 1);
    integerAtLeast(model, "paginate() perPage", perPage, 1);
    const [total, rows] = await Promise.all([this.count(), this.limit(perPage).offset((page - 1) * perPage).all()]);
    return { rows, total, page, perPage, lastPage: Math.max(1, Math.ceil(total / perPage)) };
  }

  /**
   * Every matching record, a batch at a time, in bounded memory:
   * `for await (const user of User.query().cursor({ batchSize: 1000 }))`.
   * Batches are read in primary-key order (keyset: `id > last`), so the cost
   * per batch does not grow with the position. Inside a transaction on
   * PostgreSQL, one server-side cursor reads the query in its own order.
   */
  async *cursor(options: BatchOptions = {}): AsyncGenerator<R, void, undefined> {
    for await (const batch of inBatches(sessionOf(this.model), this.#plain, this.metadata, this.state.orderBy, options)) yield* batch as unknown as R[];
  }

  /** Calls `work` with each batch of `size` records (primary-key order), one batch in memory at a time. */
  async chunk(size: number, work: (records: R[]) => unknown): Promise<void> {
    for await (const batch of inBatches(sessionOf(this.model), this.#plain, this.metadata, this.state.orderBy, { batchSize: size })) await work(batch as unknown as R[]);
  }

  /**
   * One page after `cursor` (null for the first) in this query's order, with
   * the primary key as the tie-break: `{ rows, next }`, where `next` is an
   * opaque cursor for the following page (null at the end). Unlike offsets,
   * a page is stable when rows are inserted before it. The cursor comes back
   * from a client, so it is checked like any other input.
   */
  async paginateAfter(cursor: string | null | undefined, perPage: number): Promise<{ rows: R[]; next: string | null }> {
    integerAtLeast(this.metadata.name, "paginateAfter() perPage", perPage, 1);
    const page = await keysetPage(this.#plain, this.metadata, ownOrdering(this.metadata, this.state.orderBy ?? [], "paginateAfter()"), cursor ?? null, perPage);
    return page as unknown as { rows: R[]; next: string | null };
  }

  /**
   * The record with this primary key among this query's records, or null:
   * `User.with("posts").find(id)` (the key checked as `Model.find` checks it).
   */
  async find(key: PrimaryKeyValue): Promise<R | null> {
    const metadata = this.metadata;
    lookupKey(metadata, key);
    return this.whereCondition(primaryKeyCondition(metadata, key)).first();
  }

  /** Like `find`; a RecordNotFoundError naming model and key when there is none. */
  async findOrFail(key: PrimaryKeyValue): Promise<R> {
    const record = await this.find(key);
    if (!record) throw new RecordNotFoundError(this.metadata.name, key);
    return record;
  }

  /** The first matching record, or null. */
  async first(): Promise<R | null> {
    const [record] = await this.limit(1).all();
    return record ?? null;
  }

  /** The first matching record; a RecordNotFoundError naming the model when there is none. */
  async firstOrFail(): Promise<R> {
    const record = await this.first();
    if (!record) throw new RecordNotFoundError(this.metadata.name, describeWhere(this.state.where));
    return record;
  }

  /**
   * Plain rows keyed by attribute name (and aggregate alias), values converted
   * by column type; aggregates come back as numbers (COUNT, SUM, AVG) or in
   * their column's type (MIN, MAX).
   */
  async rows(): Promise<W[]> {
    const session = sessionOf(this.model);
    const { rows } = await execute(session, this.toQuery());
    return plainRows(rows, this.state.select, this.metadata, session.dialect.values) as W[];
  }

  /** How many records match (order, limit and offset ignored); with an attribute, how many have it non-null. */
  async count(attribute?: AttributeName<T>): Promise<number> {
    return (await this.#aggregate({ fn: "COUNT", attribute: attribute === undefined ? null : attribute })) as number;
  }

  /** Whether any record matches. */
  async exists(): Promise<boolean> {
    const session = sessionOf(this.model);
    const query: SelectQuery = { ...this.toQuery(), columns: [SELECT_ONE], limit: 1 };
    const { rows } = await execute(session, query);
    return rows.length > 0;
  }

  /** One attribute's values, in query order. */
  async pluck<K extends AttributeName<T>>(attribute: K): Promise<T[K][]> {
    const a = this.metadata.attribute(attribute);
    const session = sessionOf(this.model);
    const { rows } = await execute(session, { ...this.toQuery(), columns: [{ kind: "column", column: a.column }] });
    return rows.map((row) => session.dialect.values.fromDatabase(a.type, row[a.column]) as T[K]);
  }

  /** The sum of an attribute over the matching records; null when there are none. */
  sum(attribute: AttributeName<T>): Promise<number | null> {
    return this.#aggregate({ fn: "SUM", attribute }) as Promise<number | null>;
  }
  /** The average of an attribute over the matching records; null when there are none. */
  avg(attribute: AttributeName<T>): Promise<number | null> {
    return this.#aggregate({ fn: "AVG", attribute }) as Promise<number | null>;
  }
  /** The smallest value of an attribute; null when nothing matches. */
  min<K extends AttributeName<T>>(attribute: K): Promise<T[K] | null> {
    return this.#aggregate({ fn: "MIN", attribute }) as Promise<T[K] | null>;
  }
  /** The largest value of an attribute; null when nothing matches. */
  max<K extends AttributeName<T>>(attribute: K): Promise<T[K] | null> {
    return this.#aggregate({ fn: "MAX", attribute }) as Promise<T[K] | null>;
  }

  async #aggregate(spec: { fn: Aggregate["fn"]; attribute: string | null }): Promise<unknown> {
    const column = spec.attribute === null ? null : this.metadata.attribute(String(spec.attribute)).column;
    // Aggregates ignore order, limit and offset on purpose: count() of a paged query counts all matches.
    const { orderBy: _o, limit: _l, offset: _f, ...rest } = this.toQuery();
    return aggregateOne(sessionOf(this.model), this.metadata, { ...rest, columns: [{ kind: "aggregate", fn: spec.fn, column, alias: "value" }] }, spec);
  }

  /**
   * Sets attributes on every matching row; validates them first. Returns the
   * number of rows changed. Guarded attributes are refused unless
   * `{ allowGuarded: true }`; an `undefined` value is an error, not a skip.
   */
  updateAll(values: CreateInput<T>, options: WriteOptions = {}): Promise<number> {
    refuseJoins(this.metadata, this.state.joins, "updateAll");
    return updateRows(this.model, this.metadata, this.visibleWhere(), values, options);
  }

  /** `attribute = attribute + by` on every matching row, atomically in SQL; returns how many rows changed. */
  async increment(attribute: AttributeName<T>, by: number | bigint = 1): Promise<number> {
    refuseJoins(this.metadata, this.state.joins, "increment");
    return incrementRows(this.model, this.metadata, this.visibleWhere(), attribute, by);
  }

  /** `attribute = attribute - by` on every matching row, atomically in SQL. */
  async decrement(attribute: AttributeName<T>, by: number | bigint = 1): Promise<number> {
    refuseJoins(this.metadata, this.state.joins, "decrement");
    return incrementRows(this.model, this.metadata, this.visibleWhere(), attribute, -by);
  }

  /**
   * Deletes every matching row (every row, without a where); on a model with
   * a soft-delete column, marks them deleted instead. Returns how many.
   */
  async deleteAll(): Promise<number> {
    const soft = this.metadata.softDelete;
    if (!soft) return this.forceDeleteAll();
    return this.withTrashed().whereCondition({ kind: "null", column: soft.column, negate: false }).updateAll({ [soft.property]: new Date() } as CreateInput<T>, { allowGuarded: true });
  }

  /** Removes every matching row, soft-delete column or not. Returns how many. */
  async forceDeleteAll(): Promise<number> {
    refuseJoins(this.metadata, this.state.joins, "deleteAll");
    const where = this.visibleWhere();
    const result = await execute(sessionOf(this.model), { kind: "delete", table: this.metadata.table, ...defined({ where }) });
    return result.affectedRows;
  }

  /** This query typed by its model alone (for helpers that take a model's query). */
  get #plain(): ModelQuery<T> {
    return this as unknown as ModelQuery<T>;
  }

  /** Makes the query awaitable: `await query` is `await query.all()`. */
  then<R1 = R[], R2 = never>(
    onfulfilled?: ((value: R[]) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.all().then(onfulfilled, onrejected);
  }
}

function describeWhere(where: Condition | undefined): unknown {
  if (!where) return "(any)";
  if (where.kind === "compare") return { [where.column]: where.value };
  return "(query)";
}
