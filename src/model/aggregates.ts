/**
 * Aggregates for `select(...)`: made only by `fn.count()`, `fn.sum()`...,
 * from a fixed list of functions, and recognised by a class brand. A look-alike
 * object from a request body is not an aggregate: `select()` refuses it.
 */
import type { AggregateFunction } from "../query/ast.ts";

/** An aggregate over an attribute (checked against the model when selected), for grouped queries; `A` is its alias, `V` its value type in `rows()`. */
export class Aggregate<A extends string = string, V = unknown> {
  readonly #brand = true;
  /** The node kind in a select list. */
  readonly kind = "aggregate" as const;
  /** Made by `fn.count()`, `fn.sum()`...; use those. */
  constructor(
    readonly fn: AggregateFunction,
    /** An attribute name, or null for COUNT(*). */
    readonly attribute: string | null,
    readonly distinct: boolean,
    /** The result column's name (quoted by the dialect). */
    readonly alias: A,
  ) {}
  /** Type-level only: the value's type in `rows()`. */
  declare readonly __value?: V;
  /** The same aggregate under another result name, kept as a literal type: `fn.count().as("n")` types `rows()` with `n`. */
  as<B extends string>(alias: B): Aggregate<B, V> {
    return new Aggregate(this.fn, this.attribute, this.distinct, alias);
  }
  /** Whether `value` was made by one of the `fn` functions. */
  static is(value: unknown): value is Aggregate {
    return typeof value === "object" && value !== null && #brand in value;
  }
}

function aggregate<A extends string, V>(fn: AggregateFunction, attribute: string | null, distinct = false): Aggregate<A, V> {
  return new Aggregate(fn, attribute, distinct, (attribute === null ? fn.toLowerCase() : `${fn.toLowerCase()}_${attribute}`) as A);
}

/** `User.query().select("age", fn.count().as("n")).groupBy("age").rows()`: aliases and values typed on the rows. */
export const fn = {
  count: <N extends string = never>(attribute?: N, options: { distinct?: boolean } = {}): Aggregate<[N] extends [never] ? "count" : `count_${N}`, number> =>
    aggregate("COUNT", attribute ?? null, options.distinct),
  sum: <N extends string>(attribute: N): Aggregate<`sum_${N}`, number | null> => aggregate("SUM", attribute),
  avg: <N extends string>(attribute: N): Aggregate<`avg_${N}`, number | null> => aggregate("AVG", attribute),
  min: <N extends string>(attribute: N): Aggregate<`min_${N}`> => aggregate("MIN", attribute),
  max: <N extends string>(attribute: N): Aggregate<`max_${N}`> => aggregate("MAX", attribute),
};

/** The row type `rows()` gives for these aggregates: each alias with its value type. */
export type AggregateRow<G> = { [X in G as X extends Aggregate<infer A, unknown> ? A : never]: X extends Aggregate<string, infer V> ? V : never };

/** Whether `value` was made by one of the `fn` functions (a class brand, never a look-alike). */
export function isAggregate(value: unknown): value is Aggregate {
  return Aggregate.is(value);
}
