/**
 * The building half of a model-bound query: every method checks names
 * against the model's metadata and returns a new query; `toQuery()` gives the
 * description the dialect compiles. ModelQuery (query.ts) adds what runs it.
 */
import type { Condition, OrderEntry, RowLock, SelectItem, SelectQuery } from "../query/ast.ts";
import { SqlFragment } from "../query/raw.ts";
import { parseWhere } from "../query/where.ts";
import { ArgumentError } from "../errors.ts";
import { show } from "../show.ts";
import type { ActiveRecord } from "./active-record.ts";
import { isAggregate, type Aggregate, type AggregateRow } from "./aggregates.ts";
import { defined } from "./defined.ts";
import { getModelMetadata, type ModelMetadata } from "./metadata.ts";
import { onPrimaryModel } from "./on-primary.ts";
import type { ModelQuery } from "./query.ts";
import { addJoin, hasRelatedCondition, joinClauses, parsePaths, relationExtra, resolveJoined, type AggregateKind, type JoinSpec, type PathTree, type RelationExtra } from "./relations/registry.ts";
import type { AttributeName, Attributes, Conditions, Direction, LoadedRelations, ModelClass, Related, RelatedColumn, RelatedFilterFor, RelationName, RelationPath } from "./types.ts";

/** What a query holds: conditions, relations to load, selection, order, paging, locks, relation aggregates. */
export interface QueryState {
  readonly where?: Condition;
  /** Relations to load with the records. */
  readonly with?: PathTree;
  /** Soft-deleted rows: left out by default. */
  readonly trashed?: "include" | "only";
  readonly select?: readonly (string | Aggregate)[];
  readonly distinct?: boolean;
  readonly groupBy?: readonly string[];
  readonly having?: Condition;
  readonly orderBy?: readonly OrderEntry[];
  /** Relations joined (join, leftJoin, or implicitly by a "relation.attribute" name). */
  readonly joins?: readonly JoinSpec[];
  readonly limit?: number;
  readonly offset?: number;
  readonly lock?: RowLock;
  /** Relation counts and aggregates, one correlated subquery each. */
  readonly extras?: readonly RelationExtra[];
}

/** `n`, checked to be an integer of at least `min`; an ArgumentError naming the model otherwise. */
export function integerAtLeast(model: string, what: string, n: number, min: number): number {
  if (!Number.isSafeInteger(n) || n < min) throw new ArgumentError(`${model}: ${what} takes an integer >= ${min}, got ${show(n)}`);
  return n;
}

/** `a AND b`, or just `b` when there is no `a`. */
export function and(a: Condition | undefined, b: Condition): Condition {
  return a ? { kind: "group", op: "AND", items: [a, b] } : b;
}

/**
 * One ORDER BY entry: an attribute, "relation.attribute" (joined as `where`
 * does, through the relation machinery), or an application's sql`` fragment
 * (a direction, if given, is appended). Anything else, a look-alike fragment
 * from a request included, is refused.
 */
function orderEntry(model: ModelClass<ActiveRecord>, metadata: ModelMetadata, joins: JoinSpec[], by: unknown, direction: unknown): OrderEntry {
  const dir = direction === undefined ? undefined : typeof direction === "string" ? direction.toUpperCase() : direction;
  if (dir !== undefined && dir !== "ASC" && dir !== "DESC") throw new ArgumentError(`${metadata.name}.orderBy(): the direction is "asc" or "desc", got ${show(direction)}`);
  if (SqlFragment.is(by)) {
    if (dir === undefined) return by;
    const strings = [...by.strings];
    strings[strings.length - 1] += ` ${dir}`;
    return new SqlFragment(strings, by.values);
  }
  if (typeof by !== "string") throw new ArgumentError(`${metadata.name}.orderBy() takes an attribute name, "relation.attribute" or a sql\`\` fragment, got ${show(by)}`);
  const direction_ = (dir ?? "ASC") as "ASC" | "DESC";
  if (!by.includes(".")) return { column: metadata.attribute(by).column, direction: direction_ };
  const { table, column } = resolveJoined(model, joins, by);
  return { table, column, direction: direction_ };
}

/** A record with only the selected attributes `K` (its methods, relations and other members kept). */
export type Selected<R, K extends PropertyKey> = Pick<R, (K & keyof R) | Exclude<keyof R, AttributeName<R>>>;

/** What `select(...items)` returns: records narrowed to the attributes, rows typed with the attributes and aggregate aliases. */
export type SelectedQuery<T extends ActiveRecord, R, I> = ModelQuery<T, Selected<R, Extract<I, string>>, Pick<Attributes<T>, Extract<I, string> & keyof Attributes<T>> & AggregateRow<Extract<I, Aggregate<string, unknown>>>>;

/** Builder methods of ModelQuery: each returns a new query; `R` is the record type it gives, `W` the row type of `rows()`. */
export abstract class QueryBuilder<T extends ActiveRecord, R = T, W = Attributes<R>> {
  /** A query over the model; use `Model.query()` or `Model.where(...)`. */
  constructor(
    /** @internal The model the query reads. */
    protected readonly model: ModelClass<T>,
    /** @internal What the query holds so far. */
    protected readonly state: QueryState = {},
  ) {}

  /**
   * A query of the same kind over `model` with `state`: how every builder method returns a new query.
   * @internal
   */
  protected abstract make<R extends ActiveRecord>(model: ModelClass<R>, state: QueryState): ModelQuery<R>;

  /** @internal */
  protected get metadata(): ModelMetadata {
    return getModelMetadata(this.model);
  }

  /** @internal */
  protected derive(changes: Partial<QueryState>): ModelQuery<T, R, W> {
    return this.make(this.model, { ...this.state, ...changes }) as unknown as ModelQuery<T, R, W>;
  }

  /** @internal The condition; `joins` (a copy) gets the joins its "relation.attribute" names need. */
  protected condition(input: Conditions<T>, joins: JoinSpec[] = [...(this.state.joins ?? [])]): Condition {
    const metadata = this.metadata;
    const model = this.model;
    // A method, not an arrow property: under esbuild's keepNames (tsx, wrangler) a named arrow made per call costs an Object.defineProperty.
    return parseWhere(input, {
      model: metadata.name,
      resolve(property) {
        if (property.includes(".")) return resolveJoined(model, joins, property);
        const a = metadata.attribute(property);
        return { column: a.column, type: a.type };
      },
    });
  }

  /** @internal A derived query with `combine(condition)` and any joins the condition needed. */
  protected withCondition(input: Conditions<T>, combine: (c: Condition) => Partial<QueryState>): ModelQuery<T, R, W> {
    const joins = [...(this.state.joins ?? [])];
    const changes = combine(this.condition(input, joins));
    return this.derive(joins.length ? { ...changes, joins } : changes);
  }

  /** Adds conditions, ANDed with those already there; `"author.username"` names a joined (or belongsTo) model's attribute. */
  where(input: Conditions<T>): ModelQuery<T, R, W> {
    return this.withCondition(input, (c) => ({ where: and(this.state.where, c) }));
  }

  /** `(existing conditions) OR (these)`. */
  orWhere(input: Conditions<T>): ModelQuery<T, R, W> {
    return this.withCondition(input, (next) => ({ where: this.state.where ? { kind: "group", op: "OR", items: [this.state.where, next] } : next }));
  }

  /** Records not matching the conditions. */
  whereNot(input: Conditions<T>): ModelQuery<T, R, W> {
    return this.withCondition(input, (c) => ({ where: and(this.state.where, { kind: "not", item: c }) }));
  }

  /** `INNER JOIN` along a declared relation (manyToMany through its join table): only records with a related row, once per related row. */
  join(relation: RelationName<T>): ModelQuery<T, R, W> {
    return this.derive({ joins: addJoin(this.model, this.state.joins, relation, false) });
  }

  /** `LEFT JOIN` along a declared relation: every record, once per related row (once, with nulls, without one). */
  leftJoin(relation: RelationName<T>): ModelQuery<T, R, W> {
    return this.derive({ joins: addJoin(this.model, this.state.joins, relation, true) });
  }

  /** Adds a condition already in query form (for extensions; prefer `where`). */
  whereCondition(condition: Condition): ModelQuery<T, R, W> {
    return this.derive({ where: and(this.state.where, condition) });
  }

  /** Records that have at least one related record (matching the filter, if given). */
  whereHas<K extends RelationName<T>>(relation: K, filter?: RelatedFilterFor<T, K>): ModelQuery<T, R, W> {
    return this.whereCondition(hasRelatedCondition(this.model, relation, filter, false));
  }

  /** Records with no related record (matching the filter, if given). */
  whereDoesntHave<K extends RelationName<T>>(relation: K, filter?: RelatedFilterFor<T, K>): ModelQuery<T, R, W> {
    return this.whereCondition(hasRelatedCondition(this.model, relation, filter, true));
  }

  /**
   * Loads relations with the records, one query per relation and level:
   * `with("author", "tags")`, nested `with("posts.comments")`. The records'
   * type says so: a relation declared `posts?: Post[]` is `posts: Post[]` on
   * what this query returns (`Loaded<User, "posts">`).
   */
  with<P extends RelationPath<T>>(...relations: P[]): ModelQuery<T, LoadedRelations<T, P> & R, W> {
    const tree = parsePaths(this.model, relations, new Map(this.state.with ?? []));
    return this.derive({ with: tree }) as unknown as ModelQuery<T, LoadedRelations<T, P> & R, W>;
  }

  /** Runs this query on the primary even where the model has read replicas (relations it loads with `with` excepted). */
  onPrimary(): ModelQuery<T, R, W> {
    return this.make(onPrimaryModel(this.model), this.state) as unknown as ModelQuery<T, R, W>;
  }

  /** Each record gets `<relation>Count`: its related rows (matching the filter), counted in the same query. */
  withCount<K extends RelationName<T>>(relation: K, filter?: RelatedFilterFor<T, K>): ModelQuery<T & { readonly [P in `${K}Count`]: number }, R & { readonly [P in `${K}Count`]: number }, W> {
    return this.extra(relation, "Count", undefined, filter);
  }

  /** Each record gets `<relation>Exists`: whether it has a related row (matching the filter). */
  withExists<K extends RelationName<T>>(relation: K, filter?: RelatedFilterFor<T, K>): ModelQuery<T & { readonly [P in `${K}Exists`]: boolean }, R & { readonly [P in `${K}Exists`]: boolean }, W> {
    return this.extra(relation, "Exists", undefined, filter);
  }

  /** Each record gets `<relation><Attribute>Sum` (null without related rows). Also `withAvg`. */
  withSum<K extends RelationName<T>, A extends AttributeName<Related<T[K]>>>(relation: K, attribute: A, filter?: RelatedFilterFor<T, K>): ModelQuery<T & { readonly [P in `${K}${Capitalize<A>}Sum`]: number | null }, R & { readonly [P in `${K}${Capitalize<A>}Sum`]: number | null }, W> {
    return this.extra(relation, "Sum", attribute, filter);
  }

  /** Each record gets `<relation><Attribute>Avg` (null without related rows). */
  withAvg<K extends RelationName<T>, A extends AttributeName<Related<T[K]>>>(relation: K, attribute: A, filter?: RelatedFilterFor<T, K>): ModelQuery<T & { readonly [P in `${K}${Capitalize<A>}Avg`]: number | null }, R & { readonly [P in `${K}${Capitalize<A>}Avg`]: number | null }, W> {
    return this.extra(relation, "Avg", attribute, filter);
  }

  /** Each record gets `<relation><Attribute>Min`, in the attribute's type (null without related rows). */
  withMin<K extends RelationName<T>, A extends AttributeName<Related<T[K]>>>(relation: K, attribute: A, filter?: RelatedFilterFor<T, K>): ModelQuery<T & { readonly [P in `${K}${Capitalize<A>}Min`]: Related<T[K]>[A] | null }, R & { readonly [P in `${K}${Capitalize<A>}Min`]: Related<T[K]>[A] | null }, W> {
    return this.extra(relation, "Min", attribute, filter);
  }

  /** Each record gets `<relation><Attribute>Max`, in the attribute's type (null without related rows). */
  withMax<K extends RelationName<T>, A extends AttributeName<Related<T[K]>>>(relation: K, attribute: A, filter?: RelatedFilterFor<T, K>): ModelQuery<T & { readonly [P in `${K}${Capitalize<A>}Max`]: Related<T[K]>[A] | null }, R & { readonly [P in `${K}${Capitalize<A>}Max`]: Related<T[K]>[A] | null }, W> {
    return this.extra(relation, "Max", attribute, filter);
  }

  /** @internal */
  protected extra<Q>(relation: string, kind: AggregateKind, attribute: string | undefined, filter: unknown): Q {
    const extras = this.state.extras ?? [];
    const extra = relationExtra(this.model, extras.length, relation, kind, attribute, filter);
    return this.make(this.model, { ...this.state, extras: [...extras, extra] }) as Q;
  }

  /** Includes soft-deleted rows. */
  withTrashed(): ModelQuery<T, R, W> {
    return this.derive({ trashed: "include" });
  }

  /** Only soft-deleted rows. */
  onlyTrashed(): ModelQuery<T, R, W> {
    return this.derive({ trashed: "only" });
  }

  /** Applies a named scope: a function that refines a query (`static published = (q) => q.where(...)`). */
  apply<A extends unknown[]>(scope: (query: ModelQuery<T, R, W>, ...args: A) => ModelQuery<T, R, W>, ...args: A): ModelQuery<T, R, W> {
    return scope(this as unknown as ModelQuery<T, R, W>, ...args);
  }

  /**
   * Only these attributes (and aggregates, for `rows()`); records get only
   * what was selected, and are typed so: `select("id", "title").all()` gives
   * records with `id` and `title` (and the record methods), and `rows()` after
   * `select("age", fn.count().as("n"))` gives `{ age: number; n: number }[]`.
   */
  select<I extends (AttributeName<T> | Aggregate<string, unknown>)[]>(...items: I): SelectedQuery<T, R, I[number]> {
    const metadata = this.metadata;
    for (const item of items) {
      // Only attribute names and aggregates made by fn.*(): a look-alike object is neither.
      if (isAggregate(item)) {
        if (item.attribute !== null) metadata.attribute(item.attribute);
        else if (item.fn !== "COUNT") throw new ArgumentError(`${metadata.name}: ${item.fn} needs an attribute`);
      } else if (typeof item === "string") metadata.attribute(item);
      else throw new ArgumentError(`${metadata.name}.select() takes attribute names and fn.count()/fn.sum()/... aggregates, got ${show(item)}`);
    }
    return this.derive({ select: items }) as unknown as SelectedQuery<T, R, I[number]>;
  }

  /** `SELECT DISTINCT` (or not, with `false`). */
  distinct(on = true): ModelQuery<T, R, W> {
    return this.derive({ distinct: on });
  }

  /** Orders by an attribute, a joined model's `"author.username"`, or a sql`` fragment; calls add further orderings. */
  orderBy(attribute: AttributeName<T> | RelatedColumn<T> | SqlFragment, direction?: Direction): ModelQuery<T, R, W> {
    const joins = [...(this.state.joins ?? [])];
    const item = orderEntry(this.model, this.metadata, joins, attribute, direction);
    return this.derive({ orderBy: [...(this.state.orderBy ?? []), item], ...(joins.length ? { joins } : {}) });
  }

  /** At most `n` records. */
  limit(n: number): ModelQuery<T, R, W> {
    return this.derive({ limit: integerAtLeast(this.metadata.name, "limit()", n, 0) });
  }

  /** Skips the first `n` records. */
  offset(n: number): ModelQuery<T, R, W> {
    return this.derive({ offset: integerAtLeast(this.metadata.name, "offset()", n, 0) });
  }

  /** Groups rows by these attributes (for `select` with aggregates and `rows()`). */
  groupBy(...attributes: AttributeName<T>[]): ModelQuery<T, R, W> {
    const metadata = this.metadata;
    return this.derive({ groupBy: attributes.map((a) => metadata.attribute(String(a)).column) });
  }

  /** A condition on groups: attribute conditions, or raw SQL over aggregates (sql`COUNT(*) > ${2}`). */
  having(input: Conditions<T>): ModelQuery<T, R, W> {
    return this.withCondition(input, (c) => ({ having: and(this.state.having, c) }));
  }

  /**
   * Locks the rows read until the transaction ends (`SELECT ... FOR UPDATE`),
   * where the dialect has row locks (PostgreSQL); elsewhere the query is
   * refused rather than run unlocked. Use it inside a transaction.
   */
  forUpdate(): ModelQuery<T, R, W> {
    return this.derive({ lock: { mode: "update", ...defined({ wait: this.state.lock?.wait }) } });
  }

  /** `FOR SHARE`: other transactions may read but not change the rows until this one ends. */
  forShare(): ModelQuery<T, R, W> {
    return this.derive({ lock: { mode: "share", ...defined({ wait: this.state.lock?.wait }) } });
  }

  /** With a row lock: skip rows another transaction holds (`SKIP LOCKED`), the job-queue pattern. */
  skipLocked(): ModelQuery<T, R, W> {
    return this.derive({ lock: { mode: this.state.lock?.mode ?? "update", wait: "skipLocked" } });
  }

  /** With a row lock: fail at once (`NOWAIT`) instead of waiting for another transaction's lock. */
  noWait(): ModelQuery<T, R, W> {
    return this.derive({ lock: { mode: this.state.lock?.mode ?? "update", wait: "noWait" } });
  }

  /** The query description, for the dialect. */
  toQuery(): SelectQuery {
    const s = this.state;
    const metadata = this.metadata;
    const columns: SelectItem[] = (s.select ?? []).map((item) =>
      isAggregate(item)
        ? { kind: "aggregate", fn: item.fn, column: item.attribute === null ? null : metadata.attribute(item.attribute).column, distinct: item.distinct, alias: item.alias }
        : { kind: "column", column: metadata.attribute(item).column },
    );
    // Relation aggregates and joins: the model's own columns only, not the joined tables'.
    if ((s.extras?.length || s.joins?.length) && columns.length === 0) columns.push({ kind: "allColumns", table: metadata.table });
    for (const e of s.extras ?? []) columns.push(e.item);
    const joins = s.joins?.length ? joinClauses(this.model, s.joins) : undefined;
    const where = this.visibleWhere();
    return {
      kind: "select",
      table: metadata.table,
      columns,
      ...defined({ joins, distinct: s.distinct || undefined, where, groupBy: s.groupBy, having: s.having, orderBy: s.orderBy, limit: s.limit, offset: s.offset, lock: s.lock }),
    };
  }

  /** @internal The conditions plus the soft-delete filter, if the model has a soft-delete column. */
  protected visibleWhere(): Condition | undefined {
    const soft = this.metadata.softDelete;
    const { where, trashed } = this.state;
    if (!soft || trashed === "include") return where;
    return and(where, { kind: "null", column: soft.column, negate: trashed === "only" });
  }

}
