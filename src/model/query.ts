/**
 * A model-bound query: an immutable description plus the model it belongs
 * to. Builder methods check attribute names against the model's metadata
 * and return a new query; terminal methods compile with the model's dialect,
 * run in the ambient transaction (if any) and hydrate records.
 */
import type { Condition, OrderItem, RowLock, SelectItem, SelectQuery } from "../query/ast.ts";
import { incrementRows, updateRows } from "./query-writes.ts";
import { inBatches, type BatchOptions } from "./batches.ts";
import { keysetPage } from "./keyset.ts";
import { aggregateOne, plainRows } from "./query-rows.ts";
import { applyExtras, relationExtra, type AggregateKind, type RelationExtra } from "./relation-aggregates.ts";
import { parseWhere } from "../query/where.ts";
import { SqlFragment } from "../query/raw.ts";
import { ArgumentError, RecordNotFoundError } from "../errors.ts";
import type { ActiveRecord } from "./active-record.ts";
import { Aggregate, isAggregate } from "./aggregates.ts";
import { show } from "../show.ts";
import { sessionOf } from "./binding.ts";
import { onPrimaryModel } from "./on-primary.ts";
import { execute, executeStatement } from "./execution.ts";
import { defined } from "./defined.ts";
import { getModelMetadata, type ModelMetadata } from "./metadata.ts";
import { hydrateArrays, hydrator } from "./hydration.ts";
import { eagerLoad, hasRelatedCondition, parsePaths, type PathTree } from "./relations/registry.ts";
import type { AttributeName, Conditions, CreateInput, Direction, ModelClass, Related, RelatedFilterFor, RelationName, RelationPath } from "./types.ts";
import type { WriteOptions } from "./assignment.ts";

interface QueryState {
  readonly where?: Condition;
  /** Relations to load with the records. */
  readonly with?: PathTree;
  /** Soft-deleted rows: left out by default. */
  readonly trashed?: "include" | "only";
  readonly select?: readonly (string | Aggregate)[];
  readonly distinct?: boolean;
  readonly groupBy?: readonly string[];
  readonly having?: Condition;
  readonly orderBy?: readonly OrderItem[];
  readonly limit?: number;
  readonly offset?: number;
  readonly lock?: RowLock;
  /** Relation counts and aggregates, one correlated subquery each. */
  readonly extras?: readonly RelationExtra[];
}

function integerAtLeast(model: string, what: string, n: number, min: number): number {
  if (!Number.isSafeInteger(n) || n < min) throw new ArgumentError(`${model}: ${what} takes an integer >= ${min}, got ${show(n)}`);
  return n;
}

const SELECT_ONE = new SqlFragment(["1"], []);

function and(a: Condition | undefined, b: Condition): Condition {
  return a ? { kind: "group", op: "AND", items: [a, b] } : b;
}

/** An immutable query over a model's records: each builder method returns a new query; await it for the records. */
export class ModelQuery<T extends ActiveRecord> {
  readonly #model: ModelClass<T>;
  readonly #state: QueryState;

  /** A query over the model; use `Model.query()` or `Model.where(...)`. */
  constructor(model: ModelClass<T>, state: QueryState = {}) {
    this.#model = model;
    this.#state = state;
  }

  get #metadata(): ModelMetadata {
    return getModelMetadata(this.#model);
  }

  #with(changes: Partial<QueryState>): ModelQuery<T> {
    return new ModelQuery(this.#model, { ...this.#state, ...changes });
  }

  #condition(input: Conditions<T>): Condition {
    const metadata = this.#metadata;
    return parseWhere(input, {
      model: metadata.name,
      resolve: (property) => {
        const a = metadata.attribute(property);
        return { column: a.column, type: a.type };
      },
    });
  }

  /** Adds conditions, ANDed with those already there. */
  where(input: Conditions<T>): ModelQuery<T> {
    return this.#with({ where: and(this.#state.where, this.#condition(input)) });
  }

  /** `(existing conditions) OR (these)`. */
  orWhere(input: Conditions<T>): ModelQuery<T> {
    const next = this.#condition(input);
    const where: Condition = this.#state.where ? { kind: "group", op: "OR", items: [this.#state.where, next] } : next;
    return this.#with({ where });
  }

  /** Records not matching the conditions. */
  whereNot(input: Conditions<T>): ModelQuery<T> {
    return this.#with({ where: and(this.#state.where, { kind: "not", item: this.#condition(input) }) });
  }

  /** Adds a condition already in query form (for extensions; prefer `where`). */
  whereCondition(condition: Condition): ModelQuery<T> {
    return this.#with({ where: and(this.#state.where, condition) });
  }

  /** Records that have at least one related record (matching the filter, if given). */
  whereHas<K extends RelationName<T>>(relation: K, filter?: RelatedFilterFor<T, K>): ModelQuery<T> {
    return this.whereCondition(hasRelatedCondition(this.#model, relation, filter, false));
  }

  /** Records with no related record (matching the filter, if given). */
  whereDoesntHave<K extends RelationName<T>>(relation: K, filter?: RelatedFilterFor<T, K>): ModelQuery<T> {
    return this.whereCondition(hasRelatedCondition(this.#model, relation, filter, true));
  }

  /**
   * Loads relations with the records, one query per relation and level:
   * `with("author", "tags")`, nested `with("posts.comments")`.
   */
  with(...relations: RelationPath<T>[]): ModelQuery<T> {
    const tree = parsePaths(this.#model, relations, new Map(this.#state.with ?? []));
    return this.#with({ with: tree });
  }

  /** Runs this query on the primary even where the model has read replicas (relations it loads with `with` excepted). */
  onPrimary(): ModelQuery<T> {
    return new ModelQuery(onPrimaryModel(this.#model), this.#state);
  }

  /** Each record gets `<relation>Count`: its related rows (matching the filter), counted in the same query. */
  withCount<K extends RelationName<T>>(relation: K, filter?: RelatedFilterFor<T, K>): ModelQuery<T & { readonly [P in `${K}Count`]: number }> {
    return this.#extra(relation, "Count", undefined, filter);
  }

  /** Each record gets `<relation>Exists`: whether it has a related row (matching the filter). */
  withExists<K extends RelationName<T>>(relation: K, filter?: RelatedFilterFor<T, K>): ModelQuery<T & { readonly [P in `${K}Exists`]: boolean }> {
    return this.#extra(relation, "Exists", undefined, filter);
  }

  /** Each record gets `<relation><Attribute>Sum` (null without related rows). Also `withAvg`. */
  withSum<K extends RelationName<T>, A extends AttributeName<Related<T[K]>>>(relation: K, attribute: A, filter?: RelatedFilterFor<T, K>): ModelQuery<T & { readonly [P in `${K}${Capitalize<A>}Sum`]: number | null }> {
    return this.#extra(relation, "Sum", attribute, filter);
  }

  /** Each record gets `<relation><Attribute>Avg` (null without related rows). */
  withAvg<K extends RelationName<T>, A extends AttributeName<Related<T[K]>>>(relation: K, attribute: A, filter?: RelatedFilterFor<T, K>): ModelQuery<T & { readonly [P in `${K}${Capitalize<A>}Avg`]: number | null }> {
    return this.#extra(relation, "Avg", attribute, filter);
  }

  /** Each record gets `<relation><Attribute>Min`, in the attribute's type (null without related rows). */
  withMin<K extends RelationName<T>, A extends AttributeName<Related<T[K]>>>(relation: K, attribute: A, filter?: RelatedFilterFor<T, K>): ModelQuery<T & { readonly [P in `${K}${Capitalize<A>}Min`]: Related<T[K]>[A] | null }> {
    return this.#extra(relation, "Min", attribute, filter);
  }

  /** Each record gets `<relation><Attribute>Max`, in the attribute's type (null without related rows). */
  withMax<K extends RelationName<T>, A extends AttributeName<Related<T[K]>>>(relation: K, attribute: A, filter?: RelatedFilterFor<T, K>): ModelQuery<T & { readonly [P in `${K}${Capitalize<A>}Max`]: Related<T[K]>[A] | null }> {
    return this.#extra(relation, "Max", attribute, filter);
  }

  #extra<R extends ActiveRecord>(relation: string, kind: AggregateKind, attribute: string | undefined, filter: unknown): ModelQuery<R> {
    const extras = this.#state.extras ?? [];
    const extra = relationExtra(this.#model, extras.length, relation, kind, attribute, filter);
    return new ModelQuery(this.#model as unknown as ModelClass<R>, { ...this.#state, extras: [...extras, extra] });
  }

  /** Includes soft-deleted rows. */
  withTrashed(): ModelQuery<T> {
    return this.#with({ trashed: "include" });
  }

  /** Only soft-deleted rows. */
  onlyTrashed(): ModelQuery<T> {
    return this.#with({ trashed: "only" });
  }

  /** Applies a named scope: a function that refines a query (`static published = (q) => q.where(...)`). */
  apply<A extends unknown[]>(scope: (query: ModelQuery<T>, ...args: A) => ModelQuery<T>, ...args: A): ModelQuery<T> {
    return scope(this, ...args);
  }

  /** Only these attributes (and aggregates, for `rows()`); records get only what was selected. */
  select(...items: (AttributeName<T> | Aggregate)[]): ModelQuery<T> {
    const metadata = this.#metadata;
    for (const item of items) {
      // Only attribute names and aggregates made by fn.*(): a look-alike object is neither.
      if (isAggregate(item)) {
        if (item.attribute !== null) metadata.attribute(item.attribute);
        else if (item.fn !== "COUNT") throw new ArgumentError(`${metadata.name}: ${item.fn} needs an attribute`);
      } else if (typeof item === "string") metadata.attribute(item);
      else throw new ArgumentError(`${metadata.name}.select() takes attribute names and fn.count()/fn.sum()/... aggregates, got ${show(item)}`);
    }
    return this.#with({ select: items });
  }

  /** `SELECT DISTINCT` (or not, with `false`). */
  distinct(on = true): ModelQuery<T> {
    return this.#with({ distinct: on });
  }

  /** Orders by an attribute; calls add further orderings. */
  orderBy(attribute: AttributeName<T>, direction: Direction = "asc"): ModelQuery<T> {
    const metadata = this.#metadata;
    const dir = typeof direction === "string" ? direction.toUpperCase() : direction;
    if (dir !== "ASC" && dir !== "DESC") throw new ArgumentError(`${metadata.name}.orderBy(): the direction is "asc" or "desc", got ${show(direction)}`);
    if (typeof attribute !== "string") throw new ArgumentError(`${metadata.name}.orderBy() takes an attribute name, got ${show(attribute)}`);
    const item: OrderItem = { column: metadata.attribute(attribute).column, direction: dir };
    return this.#with({ orderBy: [...(this.#state.orderBy ?? []), item] });
  }

  /** At most `n` records. */
  limit(n: number): ModelQuery<T> {
    return this.#with({ limit: integerAtLeast(this.#metadata.name, "limit()", n, 0) });
  }

  /** Skips the first `n` records. */
  offset(n: number): ModelQuery<T> {
    return this.#with({ offset: integerAtLeast(this.#metadata.name, "offset()", n, 0) });
  }

  /** Groups rows by these attributes (for `select` with aggregates and `rows()`). */
  groupBy(...attributes: AttributeName<T>[]): ModelQuery<T> {
    const metadata = this.#metadata;
    return this.#with({ groupBy: attributes.map((a) => metadata.attribute(String(a)).column) });
  }

  /** A condition on groups: attribute conditions, or raw SQL over aggregates (sql`COUNT(*) > ${2}`). */
  having(input: Conditions<T>): ModelQuery<T> {
    return this.#with({ having: and(this.#state.having, this.#condition(input)) });
  }

  /** The query description, for the dialect. */
  toQuery(): SelectQuery {
    const s = this.#state;
    const metadata = this.#metadata;
    const columns: SelectItem[] = (s.select ?? []).map((item) =>
      isAggregate(item)
        ? { kind: "aggregate", fn: item.fn, column: item.attribute === null ? null : metadata.attribute(item.attribute).column, distinct: item.distinct, alias: item.alias }
        : { kind: "column", column: metadata.attribute(item).column },
    );
    // Relation aggregates ride along with every column of the model's own row.
    if (s.extras?.length) {
      if (columns.length === 0) columns.push({ kind: "allColumns", table: metadata.table });
      for (const e of s.extras) columns.push(e.item);
    }
    const where = this.#visibleWhere();
    return {
      kind: "select",
      table: metadata.table,
      columns,
      ...defined({ distinct: s.distinct || undefined, where, groupBy: s.groupBy, having: s.having, orderBy: s.orderBy, limit: s.limit, offset: s.offset, lock: s.lock }),
    };
  }

  /** The conditions plus the soft-delete filter, if the model has a soft-delete column. */
  #visibleWhere(): Condition | undefined {
    const soft = this.#metadata.softDelete;
    const { where, trashed } = this.#state;
    if (!soft || trashed === "include") return where;
    return and(where, { kind: "null", column: soft.column, negate: trashed === "only" });
  }

  /** The SQL and parameters this query runs as, on the model's backend. */
  toSQL(): { sql: string; params: readonly unknown[] } {
    return sessionOf(this.#model).dialect.compile(this.toQuery());
  }

  /** Every matching record. */
  async all(): Promise<T[]> {
    const session = sessionOf(this.#model);
    const compiled = session.dialect.compile(this.toQuery());
    const result = await executeStatement(session, { sql: compiled.sql, params: compiled.params, kind: compiled.kind, arrayRows: true });
    const values = session.dialect.values;
    const records = result.values ? hydrateArrays(this.#model, this.#metadata, values, result.values) : result.rows.map(hydrator(this.#model, this.#metadata, values));
    if (this.#state.extras) applyExtras(records, result, this.#state.extras, values);
    if (this.#state.with) await eagerLoad(this.#model, records, this.#state.with);
    return records;
  }

  /** One page of records plus the totals: `{ rows, total, page, perPage, lastPage }` (pages count from 1). */
  async paginate(page: number, perPage: number): Promise<{ rows: T[]; total: number; page: number; perPage: number; lastPage: number }> {
    const model = this.#metadata.name;
    integerAtLeast(model, "paginate() page (pages count from 1)", page, 1);
    integerAtLeast(model, "paginate() perPage", perPage, 1);
    const [total, rows] = await Promise.all([this.count(), this.limit(perPage).offset((page - 1) * perPage).all()]);
    return { rows, total, page, perPage, lastPage: Math.max(1, Math.ceil(total / perPage)) };
  }

  /**
   * Every matching record, a batch at a time, in bounded memory:
   * `for await (const user of User.query().cursor({ batchSize: 1000 }))`.
   * Batches are read in primary-key order (keyset: `id > last`), so the cost
   * per batch does not grow with the position.
   */
  async *cursor(options: BatchOptions = {}): AsyncGenerator<T, void, undefined> {
    for await (const batch of inBatches(this, this.#metadata, this.#state.orderBy, options)) yield* batch;
  }

  /** Calls `work` with each batch of `size` records (primary-key order), one batch in memory at a time. */
  async chunk(size: number, work: (records: T[]) => unknown): Promise<void> {
    for await (const batch of inBatches(this, this.#metadata, this.#state.orderBy, { batchSize: size })) await work(batch);
  }

  /**
   * One page after `cursor` (null for the first) in this query's order, with
   * the primary key as the tie-break: `{ rows, next }`, where `next` is an
   * opaque cursor for the following page (null at the end). Unlike offsets,
   * a page is stable when rows are inserted before it. The cursor comes back
   * from a client, so it is checked like any other input.
   */
  async paginateAfter(cursor: string | null | undefined, perPage: number): Promise<{ rows: T[]; next: string | null }> {
    integerAtLeast(this.#metadata.name, "paginateAfter() perPage", perPage, 1);
    return keysetPage(this, this.#metadata, this.#state.orderBy ?? [], cursor ?? null, perPage);
  }

  /** The first matching record, or null. */
  async first(): Promise<T | null> {
    const [record] = await this.limit(1).all();
    return record ?? null;
  }

  /** The first matching record; a RecordNotFoundError naming the model when there is none. */
  async firstOrFail(): Promise<T> {
    const record = await this.first();
    if (!record) throw new RecordNotFoundError(this.#metadata.name, describeWhere(this.#state.where));
    return record;
  }

  /**
   * Plain rows keyed by attribute name (and aggregate alias), values converted
   * by column type; aggregates come back as numbers (COUNT, SUM, AVG) or in
   * their column's type (MIN, MAX).
   */
  async rows(): Promise<Record<string, unknown>[]> {
    const session = sessionOf(this.#model);
    const { rows } = await execute(session, this.toQuery());
    return plainRows(rows, this.#state.select, this.#metadata, session.dialect.values);
  }

  /** How many records match (order, limit and offset ignored); with an attribute, how many have it non-null. */
  async count(attribute?: AttributeName<T>): Promise<number> {
    return (await this.#aggregate({ fn: "COUNT", attribute: attribute === undefined ? null : attribute })) as number;
  }

  /** Whether any record matches. */
  async exists(): Promise<boolean> {
    const session = sessionOf(this.#model);
    const query: SelectQuery = { ...this.toQuery(), columns: [SELECT_ONE], limit: 1 };
    const { rows } = await execute(session, query);
    return rows.length > 0;
  }

  /** One attribute's values, in query order. */
  async pluck<K extends AttributeName<T>>(attribute: K): Promise<T[K][]> {
    const a = this.#metadata.attribute(attribute);
    const session = sessionOf(this.#model);
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
    const column = spec.attribute === null ? null : this.#metadata.attribute(String(spec.attribute)).column;
    // Aggregates ignore order, limit and offset on purpose: count() of a paged query counts all matches.
    const { orderBy: _o, limit: _l, offset: _f, ...rest } = this.toQuery();
    return aggregateOne(sessionOf(this.#model), this.#metadata, { ...rest, columns: [{ kind: "aggregate", fn: spec.fn, column, alias: "value" }] }, spec);
  }


  /**
   * Sets attributes on every matching row; validates them first. Returns the
   * number of rows changed. Guarded attributes are refused unless
   * `{ allowGuarded: true }`; an `undefined` value is an error, not a skip.
   */
  updateAll(values: CreateInput<T>, options: WriteOptions = {}): Promise<number> {
    return updateRows(this.#model, this.#metadata, this.#visibleWhere(), values, options);
  }

  /** `attribute = attribute + by` on every matching row, atomically in SQL; returns how many rows changed. */
  async increment(attribute: AttributeName<T>, by: number | bigint = 1): Promise<number> {
    return incrementRows(this.#model, this.#metadata, this.#visibleWhere(), attribute, by);
  }

  /** `attribute = attribute - by` on every matching row, atomically in SQL. */
  async decrement(attribute: AttributeName<T>, by: number | bigint = 1): Promise<number> {
    return incrementRows(this.#model, this.#metadata, this.#visibleWhere(), attribute, -by);
  }

  /**
   * Locks the rows read until the transaction ends (`SELECT ... FOR UPDATE`),
   * where the dialect has row locks (PostgreSQL); elsewhere the query is
   * refused rather than run unlocked. Use it inside a transaction.
   */
  forUpdate(): ModelQuery<T> {
    return this.#with({ lock: { mode: "update", ...defined({ wait: this.#state.lock?.wait }) } });
  }

  /** `FOR SHARE`: other transactions may read but not change the rows until this one ends. */
  forShare(): ModelQuery<T> {
    return this.#with({ lock: { mode: "share", ...defined({ wait: this.#state.lock?.wait }) } });
  }

  /** With a row lock: skip rows another transaction holds (`SKIP LOCKED`), the job-queue pattern. */
  skipLocked(): ModelQuery<T> {
    return this.#with({ lock: { mode: this.#state.lock?.mode ?? "update", wait: "skipLocked" } });
  }

  /** With a row lock: fail at once (`NOWAIT`) instead of waiting for another transaction's lock. */
  noWait(): ModelQuery<T> {
    return this.#with({ lock: { mode: this.#state.lock?.mode ?? "update", wait: "noWait" } });
  }

  /**
   * Deletes every matching row (every row, without a where); on a model with
   * a soft-delete column, marks them deleted instead. Returns how many.
   */
  async deleteAll(): Promise<number> {
    const soft = this.#metadata.softDelete;
    if (!soft) return this.forceDeleteAll();
    return this.withTrashed().whereCondition({ kind: "null", column: soft.column, negate: false }).updateAll({ [soft.property]: new Date() } as CreateInput<T>, { allowGuarded: true });
  }

  /** Removes every matching row, soft-delete column or not. Returns how many. */
  async forceDeleteAll(): Promise<number> {
    const where = this.#visibleWhere();
    const result = await execute(sessionOf(this.#model), { kind: "delete", table: this.#metadata.table, ...defined({ where }) });
    return result.affectedRows;
  }

  /** Makes the query awaitable: `await query` is `await query.all()`. */
  then<R1 = T[], R2 = never>(
    onfulfilled?: ((value: T[]) => R1 | PromiseLike<R1>) | null,
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
