/**
 * A model-bound query: an immutable description plus the model it belongs
 * to. Builder methods check attribute names against the model's metadata
 * and return a new query; terminal methods compile with the model's dialect,
 * run in the ambient transaction (if any) and hydrate records.
 */
import type { Condition, OrderItem, RawFragment, SelectItem, SelectQuery } from "../query/ast.ts";
import { parseWhere } from "../query/where.ts";
import { RecordNotFoundError } from "../errors.ts";
import type { ActiveRecord } from "./active-record.ts";
import { isAggregate, type Aggregate } from "./aggregates.ts";
import { backendOf } from "./binding.ts";
import { execute } from "./execution.ts";
import { getModelMetadata, type ModelMetadata } from "./metadata.ts";
import { hydrator } from "./state.ts";
import type { AttributeName, CreateInput, Direction, ModelClass, WhereInput } from "./types.ts";
import { getModelValidation } from "./validation.ts";

interface QueryState {
  readonly where?: Condition;
  readonly select?: readonly (string | Aggregate)[];
  readonly distinct?: boolean;
  readonly groupBy?: readonly string[];
  readonly having?: Condition;
  readonly orderBy?: readonly OrderItem[];
  readonly limit?: number;
  readonly offset?: number;
}

function nonNegativeInteger(what: string, n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${what} takes a non-negative integer, got ${String(n)}`);
  return n;
}

function and(a: Condition | undefined, b: Condition): Condition {
  return a ? { kind: "group", op: "AND", items: [a, b] } : b;
}

export class ModelQuery<T extends ActiveRecord> {
  readonly #model: ModelClass<T>;
  readonly #state: QueryState;

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

  #condition(input: WhereInput<T> | RawFragment): Condition {
    const metadata = this.#metadata;
    return parseWhere(input, (property) => {
      const a = metadata.attribute(property);
      return { column: a.column, type: a.type };
    });
  }

  /** Adds conditions, ANDed with those already there. */
  where(input: WhereInput<T> | RawFragment): ModelQuery<T> {
    return this.#with({ where: and(this.#state.where, this.#condition(input)) });
  }

  /** `(existing conditions) OR (these)`. */
  orWhere(input: WhereInput<T> | RawFragment): ModelQuery<T> {
    const next = this.#condition(input);
    const where: Condition = this.#state.where ? { kind: "group", op: "OR", items: [this.#state.where, next] } : next;
    return this.#with({ where });
  }

  whereNot(input: WhereInput<T> | RawFragment): ModelQuery<T> {
    return this.#with({ where: and(this.#state.where, { kind: "not", item: this.#condition(input) }) });
  }

  /** Only these attributes (and aggregates, for `rows()`); records get only what was selected. */
  select(...items: (AttributeName<T> | Aggregate)[]): ModelQuery<T> {
    for (const item of items) {
      const property = isAggregate(item) ? item.attribute : item;
      if (property !== null) this.#metadata.attribute(property);
    }
    return this.#with({ select: items });
  }

  distinct(on = true): ModelQuery<T> {
    return this.#with({ distinct: on });
  }

  orderBy(attribute: AttributeName<T>, direction: Direction = "asc"): ModelQuery<T> {
    const dir = direction.toUpperCase();
    if (dir !== "ASC" && dir !== "DESC") throw new TypeError(`orderBy direction must be "asc" or "desc", got ${JSON.stringify(direction)}`);
    const item: OrderItem = { column: this.#metadata.attribute(attribute).column, direction: dir };
    return this.#with({ orderBy: [...(this.#state.orderBy ?? []), item] });
  }

  limit(n: number): ModelQuery<T> {
    return this.#with({ limit: nonNegativeInteger("limit", n) });
  }

  offset(n: number): ModelQuery<T> {
    return this.#with({ offset: nonNegativeInteger("offset", n) });
  }

  groupBy(...attributes: AttributeName<T>[]): ModelQuery<T> {
    const metadata = this.#metadata;
    return this.#with({ groupBy: attributes.map((a) => metadata.attribute(a).column) });
  }

  /** A condition on groups: attribute conditions, or raw SQL over aggregates (sql`COUNT(*) > ${2}`). */
  having(input: WhereInput<T> | RawFragment): ModelQuery<T> {
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
    return {
      kind: "select",
      table: metadata.table,
      columns,
      ...(s.distinct ? { distinct: true } : {}),
      ...(s.where ? { where: s.where } : {}),
      ...(s.groupBy ? { groupBy: s.groupBy } : {}),
      ...(s.having ? { having: s.having } : {}),
      ...(s.orderBy ? { orderBy: s.orderBy } : {}),
      ...(s.limit !== undefined ? { limit: s.limit } : {}),
      ...(s.offset !== undefined ? { offset: s.offset } : {}),
    };
  }

  /** The SQL and parameters this query runs as, on the model's backend. */
  toSQL(): { sql: string; params: readonly unknown[] } {
    return backendOf(this.#model).dialect.compile(this.toQuery());
  }

  async all(): Promise<T[]> {
    const backend = backendOf(this.#model);
    const { rows } = await execute(backend, this.toQuery());
    const hydrate = hydrator(this.#model, this.#metadata, backend.dialect.values);
    return rows.map(hydrate);
  }

  async first(): Promise<T | null> {
    const [record] = await this.limit(1).all();
    return record ?? null;
  }

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
    const backend = backendOf(this.#model);
    const metadata = this.#metadata;
    const values = backend.dialect.values;
    const { rows } = await execute(backend, this.toQuery());
    const items = this.#state.select ?? metadata.attributes.map((a) => a.property);
    return rows.map((row) => {
      const out: Record<string, unknown> = {};
      for (const item of items) {
        if (isAggregate(item)) out[item.alias] = aggregateValue(item, row[item.alias], metadata, values);
        else {
          const a = metadata.attribute(item);
          out[item] = values.fromDatabase(a.type, row[a.column]);
        }
      }
      return out;
    });
  }

  async count(attribute?: AttributeName<T>): Promise<number> {
    return (await this.#aggregate(attribute ? { fn: "COUNT", attribute } : { fn: "COUNT", attribute: null })) as number;
  }

  async exists(): Promise<boolean> {
    const backend = backendOf(this.#model);
    const query: SelectQuery = { ...this.toQuery(), columns: [{ kind: "raw", strings: ["1"], values: [] }], limit: 1 };
    const { rows } = await execute(backend, query);
    return rows.length > 0;
  }

  /** One attribute's values, in query order. */
  async pluck<K extends AttributeName<T>>(attribute: K): Promise<T[K][]> {
    const a = this.#metadata.attribute(attribute);
    const backend = backendOf(this.#model);
    const { rows } = await execute(backend, { ...this.toQuery(), columns: [{ kind: "column", column: a.column }] });
    return rows.map((row) => backend.dialect.values.fromDatabase(a.type, row[a.column]) as T[K]);
  }

  sum(attribute: AttributeName<T>): Promise<number | null> {
    return this.#aggregate({ fn: "SUM", attribute }) as Promise<number | null>;
  }
  avg(attribute: AttributeName<T>): Promise<number | null> {
    return this.#aggregate({ fn: "AVG", attribute }) as Promise<number | null>;
  }
  min<K extends AttributeName<T>>(attribute: K): Promise<T[K] | null> {
    return this.#aggregate({ fn: "MIN", attribute }) as Promise<T[K] | null>;
  }
  max<K extends AttributeName<T>>(attribute: K): Promise<T[K] | null> {
    return this.#aggregate({ fn: "MAX", attribute }) as Promise<T[K] | null>;
  }

  async #aggregate(spec: { fn: Aggregate["fn"]; attribute: string | null }): Promise<unknown> {
    const metadata = this.#metadata;
    const item: Aggregate = { kind: "aggregate", fn: spec.fn, attribute: spec.attribute, distinct: false, alias: "value", as: () => item };
    const column = spec.attribute === null ? null : metadata.attribute(spec.attribute).column;
    const backend = backendOf(this.#model);
    // Aggregates ignore order, limit and offset on purpose: count() of a paged query counts all matches.
    const { orderBy: _o, limit: _l, offset: _f, ...rest } = this.toQuery();
    const { rows } = await execute(backend, { ...rest, columns: [{ kind: "aggregate", fn: spec.fn, column, alias: "value" }] });
    return aggregateValue(item, rows[0]?.["value"], metadata, backend.dialect.values);
  }

  /** Sets attributes on every matching row; validates them first. Returns the number of rows changed. */
  async updateAll(values: CreateInput<T>): Promise<number> {
    const metadata = this.#metadata;
    const entries = Object.entries(values as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return 0;
    getModelValidation(metadata).check(values as Record<string, unknown>, entries.map(([k]) => k));
    const set = entries.map(([property, value]) => {
      const a = metadata.attribute(property);
      return { column: a.column, value, type: a.type };
    });
    const result = await execute(backendOf(this.#model), {
      kind: "update",
      table: metadata.table,
      set,
      ...(this.#state.where ? { where: this.#state.where } : {}),
    });
    return result.affectedRows;
  }

  /** Deletes every matching row (every row, without a where). Returns the number deleted. */
  async deleteAll(): Promise<number> {
    const result = await execute(backendOf(this.#model), {
      kind: "delete",
      table: this.#metadata.table,
      ...(this.#state.where ? { where: this.#state.where } : {}),
    });
    return result.affectedRows;
  }

  then<R1 = T[], R2 = never>(
    onfulfilled?: ((value: T[]) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.all().then(onfulfilled, onrejected);
  }
}

function aggregateValue(item: Aggregate, raw: unknown, metadata: ModelMetadata, values: { fromDatabase(type: never, v: unknown): unknown }): unknown {
  if (raw === null || raw === undefined) return item.fn === "COUNT" ? 0 : null;
  if (item.fn === "MIN" || item.fn === "MAX") {
    const a = item.attribute === null ? undefined : metadata.attribute(item.attribute);
    return a ? values.fromDatabase(a.type as never, raw) : raw;
  }
  return Number(raw);
}

function describeWhere(where: Condition | undefined): unknown {
  if (!where) return "(any)";
  if (where.kind === "compare") return { [where.column]: where.value };
  return "(query)";
}
