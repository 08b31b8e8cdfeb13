/**
 * Aggregates for `select(...)`: made only by `fn.count()`, `fn.sum()`...,
 * from a fixed list of functions, and recognised by a class brand. A look-alike
 * object from a request body is not an aggregate: `select()` refuses it.
 */
import type { AggregateFunction } from "../query/ast.ts";

/** An aggregate over an attribute (checked against the model when selected), for grouped queries. */
export class Aggregate {
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
    readonly alias: string,
  ) {}
  /** The same aggregate under another result name. */
  as(alias: string): Aggregate {
    return new Aggregate(this.fn, this.attribute, this.distinct, alias);
  }
  /** Whether `value` was made by one of the `fn` functions. */
  static is(value: unknown): value is Aggregate {
    return typeof value === "object" && value !== null && #brand in value;
  }
}

function aggregate(fn: AggregateFunction, attribute: string | null, distinct = false): Aggregate {
  return new Aggregate(fn, attribute, distinct, attribute === null ? fn.toLowerCase() : `${fn.toLowerCase()}_${attribute}`);
}

/** `User.query().select("age", fn.count().as("n")).groupBy("age").rows()` */
export const fn = {
  count: (attribute?: string, options: { distinct?: boolean } = {}): Aggregate => aggregate("COUNT", attribute ?? null, options.distinct),
  sum: (attribute: string): Aggregate => aggregate("SUM", attribute),
  avg: (attribute: string): Aggregate => aggregate("AVG", attribute),
  min: (attribute: string): Aggregate => aggregate("MIN", attribute),
  max: (attribute: string): Aggregate => aggregate("MAX", attribute),
};

export function isAggregate(value: unknown): value is Aggregate {
  return Aggregate.is(value);
}
