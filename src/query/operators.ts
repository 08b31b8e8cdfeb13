/**
 * Where-operators as values only code can make. `User.where({ age: gte(30) })`
 * works because `gte` built an `Operator`; a request body that says
 * an operator-shaped object (a "greater than" key with a value) is just an
 * object, which a non-JSON column refuses.
 * Operators and groups are recognised by a private class brand (`#brand in
 * value`), never by shape: nothing `JSON.parse` returns can carry it.
 * Operands are checked against the column later, when the model is known
 * (see where.ts), so `startsWith(body.q)` with a forged `q` is a clear error.
 */
import type { RawFragment } from "./ast.ts";

/** What an operator does; where.ts turns each into a condition. */
export type OperatorKind =
  | "eq"
  | "ne"
  | "gt"
  | "gte"
  | "lt"
  | "lte"
  | "between"
  | "oneOf"
  | "notOneOf"
  | "isNull"
  | "isNotNull"
  | "like"
  | "startsWith"
  | "endsWith"
  | "contains";

/**
 * A condition on one attribute, made by `eq`, `gte`, `oneOf`, `startsWith`...
 * `V` is the attribute type it may be used on (a type-level tag only).
 */
export class Operator<V = unknown> {
  readonly #brand = true;
  /** Type-level only: the attribute type this operator compares with. */
  declare readonly __value?: V;
  /** Made by `eq`, `gte`, `oneOf`... only; never construct one from request data. */
  constructor(
    readonly kind: OperatorKind,
    /** One value; `[low, high]` for between; the list for oneOf and notOneOf. */
    readonly operand: unknown,
  ) {}
  /** Whether `value` was made by one of EdgeRecord's operator functions. */
  static is(value: unknown): value is Operator {
    return typeof value === "object" && value !== null && #brand in value;
  }
}

/** Conditions combined by `and`, `or` or `not`. `W` is the where-object type it holds (type-level only). */
export class Group<W = unknown> {
  readonly #brand = true;
  /** Type-level only: the where-object type this group holds. */
  declare readonly __conditions?: W;
  /** Made by `and`, `or` and `not` only. */
  constructor(
    readonly op: "and" | "or" | "not",
    /** Where-objects, groups or sql`` fragments. */
    readonly items: readonly unknown[],
  ) {}
  /** Whether `value` was made by `and`, `or` or `not`. */
  static is(value: unknown): value is Group {
    return typeof value === "object" && value !== null && #brand in value;
  }
}

/** What a group may hold: where-objects, other groups, sql`` fragments. */
export type GroupItem<W> = W | Group<W> | RawFragment;

/** The where-objects among a group's items, through nested groups: what the model checks them against. */
export type WhereObjects<I> = I extends Group<infer W> ? W : I extends RawFragment ? never : I;

/** `= value`; `IS NULL` for null. A plain value in a where-object means the same. */
export const eq = <V = never>(value: V | null): Operator<V> => new Operator("eq", value);
/** `<> value`; `IS NOT NULL` for null. As in SQL, rows where the column is NULL do not match a value. */
export const ne = <V = never>(value: V | null): Operator<V> => new Operator("ne", value);
/** `> value` */
export const gt = <V>(value: V): Operator<V> => new Operator("gt", value);
/** `>= value` */
export const gte = <V>(value: V): Operator<V> => new Operator("gte", value);
/** `< value` */
export const lt = <V>(value: V): Operator<V> => new Operator("lt", value);
/** `<= value` */
export const lte = <V>(value: V): Operator<V> => new Operator("lte", value);
/** `BETWEEN low AND high`, both ends included. */
export const between = <V>(low: V, high: V): Operator<V> => new Operator("between", [low, high]);
/** `IN (...)`: membership always takes this explicit operator. An empty list matches nothing. */
export const oneOf = <V>(values: readonly V[]): Operator<V> => new Operator("oneOf", values);
/** `NOT IN (...)`. An empty list matches every row. */
export const notOneOf = <V>(values: readonly V[]): Operator<V> => new Operator("notOneOf", values);
/** `IS NULL` */
export const isNull = (): Operator<never> => new Operator("isNull", null);
/** `IS NOT NULL` */
export const isNotNull = (): Operator<never> => new Operator("isNotNull", null);

/**
 * `LIKE pattern`, for patterns the programmer wrote: `%` and `_` are
 * wildcards and `\` escapes them, on every dialect. For user input use
 * `startsWith`, `endsWith` or `contains`, or pass it through `escapeLike`.
 */
export const like = (pattern: string): Operator<string> => new Operator("like", pattern);
/** Text that begins with `prefix`, taken literally (`%`, `_` and `\` in it match themselves). */
export const startsWith = (prefix: string): Operator<string> => new Operator("startsWith", prefix);
/** Text that ends with `suffix`, taken literally. */
export const endsWith = (suffix: string): Operator<string> => new Operator("endsWith", suffix);
/** Text that contains `part`, taken literally. */
export const contains = (part: string): Operator<string> => new Operator("contains", part);

/** `text` with LIKE's wildcards (`%`, `_`) and its escape character (`\`) escaped, for building a `like()` pattern. */
export function escapeLike(text: string): string {
  return String(text).replace(/[\\%_]/g, "\\$&");
}

/** Every condition holds. */
export const and = <I extends unknown[]>(...conditions: I): Group<WhereObjects<I[number]>> => new Group("and", conditions);
/** At least one condition holds. */
export const or = <I extends unknown[]>(...conditions: I): Group<WhereObjects<I[number]>> => new Group("or", conditions);
/** The condition does not hold. */
export const not = <I>(condition: I): Group<WhereObjects<I>> => new Group("not", [condition]);
