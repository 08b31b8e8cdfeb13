/**
 * Turns what users pass to `where` into a `Condition` tree. The input is
 * hostile until proven otherwise (it is often a request body):
 * - a where-object maps attribute names to plain values (`=`, or `IS NULL`
 *   for null) or to operators made by `gte()`, `oneOf()`... (operators.ts);
 * - groups come from `and()`, `or()`, `not()`, raw SQL from sql``;
 * - both are recognised by a class brand, never by shape, so nothing
 *   `JSON.parse` returns is ever an operator, a group or SQL;
 * - an unknown name, an `undefined`, or an operand of the wrong type for its
 *   column is an error naming the model and the attribute, before any SQL.
 */
import type { ColumnType } from "../schema/column.ts";
import type { ComparisonOperator, Condition } from "./ast.ts";
import { escapeLike as escape, Group, Operator } from "./operators.ts";
import { operandMismatch } from "./operands.ts";
import { SqlFragment } from "./raw.ts";
import { show } from "../show.ts";
import { ArgumentError, ValidationError } from "../errors.ts";
import { COLUMN_TRAITS } from "../schema/traits.ts";

export interface ResolvedColumn {
  /** The joined table the column belongs to; absent for the query's own table. */
  readonly table?: string;
  readonly column: string;
  readonly type?: ColumnType;
}

/** Maps an attribute name to its column; throws for a name the model does not have. */
export type ColumnResolver = (attribute: string) => ResolvedColumn;

export interface WhereContext {
  /** The model's name, for error messages. */
  readonly model: string;
  readonly resolve: ColumnResolver;
}

const COMPARISONS: Partial<Record<Operator["kind"], ComparisonOperator>> = { eq: "=", ne: "<>", gt: ">", gte: ">=", lt: "<", lte: "<=" };

/** `startsWith("a%")` matches the text `a%` and whatever follows it: the operand's own wildcards are escaped. */
const PATTERNS: Partial<Record<Operator["kind"], (text: string) => string>> = {
  like: (t) => t,
  startsWith: (t) => `${escape(t)}%`,
  endsWith: (t) => `%${escape(t)}`,
  contains: (t) => `%${escape(t)}%`,
};

/** A where-object is a plain object: `{}` or `Object.create(null)` (what JSON.parse and literals make). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function parseWhere(input: unknown, context: WhereContext): Condition {
  if (SqlFragment.is(input)) return input;
  if (Group.is(input)) {
    const items = input.items.map((item) => parseWhere(item, context));
    if (input.op === "not") return { kind: "not", item: items[0]! };
    return { kind: "group", op: input.op === "and" ? "AND" : "OR", items };
  }
  if (!isPlainObject(input)) {
    throw new ArgumentError(
      `${context.model}: a condition is an object of attribute values, and()/or()/not(), or sql\`\`; got ${show(input)}`,
    );
  }
  const items: Condition[] = [];
  // Own keys only (JSON.parse makes "__proto__" one); each must name an attribute, so an operator-shaped or "constructor" key is an unknown column.
  for (const key of Object.keys(input)) items.push(attributeCondition(key, input[key], context));
  return items.length === 1 ? items[0]! : { kind: "group", op: "AND", items };
}

/** A ValidationError naming the model and the attribute. */
function fail(context: WhereContext, attribute: string, message: string): never {
  throw new ValidationError(context.model, [{ field: attribute, message }]);
}

/** A comparison's operand, checked against its column's type. */
function operand(context: WhereContext, attribute: string, type: ColumnType | undefined, v: unknown): unknown {
  if (v === undefined) fail(context, attribute, "is undefined in a condition: give a value, or null for IS NULL (undefined never drops a condition)");
  if (v === null) fail(context, attribute, "cannot be compared with null: use isNull() or isNotNull()");
  const expected = operandMismatch(type, v);
  if (expected) {
    const hint = isPlainObject(v) || Array.isArray(v) ? " (operators are functions: gte(1), oneOf([...]))" : "";
    fail(context, attribute, `expected ${expected}, got ${show(v)}${hint}`);
  }
  return v;
}

// fail() and operand() are module functions, not closures over these arguments: every where() runs this once per attribute.
function attributeCondition(attribute: string, value: unknown, context: WhereContext): Condition {
  const resolved = context.resolve(attribute);
  const { type } = resolved;
  // `at` spreads into every node: the column, qualified by its joined table when there is one.
  const at = resolved.table === undefined ? { column: resolved.column } : { table: resolved.table, column: resolved.column };

  if (value === null) return { kind: "null", ...at, negate: false };
  if (!Operator.is(value)) return { kind: "compare", ...at, op: "=", value: operand(context, attribute, type, value), type };

  const kind = value.kind;
  const comparison = COMPARISONS[kind];
  if (comparison) {
    if (value.operand === null && (kind === "eq" || kind === "ne")) return { kind: "null", ...at, negate: kind === "ne" };
    return { kind: "compare", ...at, op: comparison, value: operand(context, attribute, type, value.operand), type };
  }
  const pattern = PATTERNS[kind];
  if (pattern) {
    if (type !== undefined && !COLUMN_TRAITS[type].textual) fail(context, attribute, `${kind}() works on text columns, not ${type}`);
    if (typeof value.operand !== "string") fail(context, attribute, `${kind}() takes a string, got ${show(value.operand)}`);
    return { kind: "compare", ...at, op: "LIKE", value: pattern(value.operand as string), type };
  }
  switch (kind) {
    case "between": {
      const [low, high] = value.operand as [unknown, unknown];
      return { kind: "between", ...at, low: operand(context, attribute, type, low), high: operand(context, attribute, type, high), type };
    }
    case "oneOf":
    case "notOneOf": {
      if (!Array.isArray(value.operand)) fail(context, attribute, `${kind}() takes an array, got ${show(value.operand)}`);
      const values = (value.operand as unknown[]).map((v) => operand(context, attribute, type, v));
      return { kind: "in", ...at, values, negate: kind === "notOneOf", type };
    }
    case "isNull":
    case "isNotNull":
      return { kind: "null", ...at, negate: kind === "isNotNull" };
  }
  return fail(context, attribute, `unknown operator "${String(kind)}"`);
}
