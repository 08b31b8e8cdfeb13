import type { AggregateFunction } from "../query/ast.ts";

/** An aggregate over an attribute, for `select(...)` in grouped queries. */
export interface Aggregate {
  readonly kind: "aggregate";
  readonly fn: AggregateFunction;
  /** An attribute name, or null for COUNT(*). */
  readonly attribute: string | null;
  readonly alias: string;
  readonly distinct: boolean;
  /** Names the result column. */
  as(alias: string): Aggregate;
}

function aggregate(fn: AggregateFunction, attribute: string | null, distinct = false, alias?: string): Aggregate {
  return {
    kind: "aggregate",
    fn,
    attribute,
    distinct,
    alias: alias ?? (attribute ? `${fn.toLowerCase()}_${attribute}` : fn.toLowerCase()),
    as: (name) => aggregate(fn, attribute, distinct, name),
  };
}

/** `User.query().select("age", fn.count().as("n")).groupBy("age").rows()` */
export const fn = {
  count: (attribute?: string, options: { distinct?: boolean } = {}) => aggregate("COUNT", attribute ?? null, options.distinct),
  sum: (attribute: string) => aggregate("SUM", attribute),
  avg: (attribute: string) => aggregate("AVG", attribute),
  min: (attribute: string) => aggregate("MIN", attribute),
  max: (attribute: string) => aggregate("MAX", attribute),
};

export function isAggregate(value: unknown): value is Aggregate {
  return typeof value === "object" && value !== null && (value as Aggregate).kind === "aggregate";
}
