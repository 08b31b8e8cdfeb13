/**
 * Turns the where-object users write (`{ age: { $gte: 30 }, $or: [...] }`)
 * into a `Condition` tree. Attribute names are resolved by the caller, which
 * knows the model and rejects unknown names before any SQL exists.
 */
import type { ColumnType } from "../schema/column.ts";
import type { ComparisonOperator, Condition } from "./ast.ts";
import { isRawFragment } from "./raw.ts";
import { show } from "../dialect/value-mapper.ts";

export interface ResolvedColumn {
  readonly column: string;
  readonly type?: ColumnType;
}

/** Maps an attribute name to its column; throws for a name the model does not have. */
export type ColumnResolver = (attribute: string) => ResolvedColumn;

const COMPARISONS: Record<string, ComparisonOperator> = {
  $eq: "=",
  $ne: "<>",
  $gt: ">",
  $gte: ">=",
  $lt: "<",
  $lte: "<=",
  $like: "LIKE",
};

export const WHERE_OPERATORS = [...Object.keys(COMPARISONS), "$in", "$notIn", "$between", "$null"] as const;

export function parseWhere(input: unknown, resolve: ColumnResolver): Condition {
  if (isRawFragment(input)) return input;
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new TypeError(`where() takes an object of attribute conditions, got ${show(input)}`);
  }
  const items: Condition[] = [];
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (key === "$and" || key === "$or") {
      if (!Array.isArray(value)) throw new TypeError(`${key} takes an array of conditions, got ${show(value)}`);
      const parts = value.map((part) => parseWhere(part, resolve));
      items.push({ kind: "group", op: key === "$and" ? "AND" : "OR", items: parts });
    } else if (key === "$not") {
      items.push({ kind: "not", item: parseWhere(value, resolve) });
    } else if (key.startsWith("$")) {
      throw new TypeError(`unknown where operator "${key}" at the top level (use $and, $or or $not)`);
    } else {
      items.push(...parseAttribute(key, value, resolve(key)));
    }
  }
  return items.length === 1 ? items[0]! : { kind: "group", op: "AND", items };
}

function parseAttribute(attribute: string, value: unknown, target: ResolvedColumn): Condition[] {
  const { column, type } = target;
  if (value === null) return [{ kind: "null", column, negate: false }];
  if (Array.isArray(value) && type !== "json") return [{ kind: "in", column, values: value, negate: false, type }];
  if (!isOperatorObject(value)) return [{ kind: "compare", column, op: "=", value, type }];

  const out: Condition[] = [];
  for (const [op, operand] of Object.entries(value)) {
    if (operand === undefined) continue;
    const comparison = COMPARISONS[op];
    if (comparison) {
      if (operand === null && (op === "$eq" || op === "$ne")) {
        out.push({ kind: "null", column, negate: op === "$ne" });
      } else {
        out.push({ kind: "compare", column, op: comparison, value: operand, type });
      }
    } else if (op === "$in" || op === "$notIn") {
      if (!Array.isArray(operand)) {
        throw new TypeError(`${op} on "${attribute}" takes an array, got ${show(operand)}`);
      }
      out.push({ kind: "in", column, values: operand, negate: op === "$notIn", type });
    } else if (op === "$between") {
      if (!Array.isArray(operand) || operand.length !== 2) {
        throw new TypeError(`$between on "${attribute}" takes [low, high], got ${show(operand)}`);
      }
      out.push({ kind: "between", column, low: operand[0], high: operand[1], type });
    } else if (op === "$null") {
      if (typeof operand !== "boolean") {
        throw new TypeError(`$null on "${attribute}" takes true or false, got ${show(operand)}`);
      }
      out.push({ kind: "null", column, negate: !operand });
    } else {
      throw new TypeError(
        `unknown operator "${op}" on "${attribute}" (expected one of ${WHERE_OPERATORS.join(", ")})`,
      );
    }
  }
  return out;
}

/** `{ $gt: 1 }` is an operator object; a Date, a byte array or `{ a: 1 }` is a value. */
function isOperatorObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => k.startsWith("$"));
}
