/**
 * The writes a query makes over every row it matches: `updateAll`,
 * `increment`, `deleteAll`. Kept apart from ModelQuery (which builds and
 * reads) so each file holds one concern; ModelQuery's methods delegate here.
 */
import type { Assignment, Condition } from "../query/ast.ts";
import { show } from "../show.ts";
import { ArgumentError, ValidationError } from "../errors.ts";
import type { ActiveRecord } from "./active-record.ts";
import { assignmentEntries, type WriteOptions } from "./assignment.ts";
import { sessionOf } from "./binding.ts";
import { defined } from "./defined.ts";
import { execute } from "./execution.ts";
import type { ModelMetadata } from "./metadata.ts";
import type { JoinSpec } from "./relations/registry.ts";
import type { CreateInput, ModelClass } from "./types.ts";
import { isPlainObject } from "../query/where.ts";
import { getModelValidation } from "./validation.ts";

/** Writes over the matched rows (updateAll, deleteAll, increment) take the model's own conditions only. */
export function refuseJoins(metadata: ModelMetadata, joins: readonly JoinSpec[] | undefined, what: string): void {
  if (joins?.length) throw new ArgumentError(`${metadata.name}.${what}() cannot run on a query with joins (${joins.map((j) => j.relation).join(", ")}); filter with whereHas() instead`);
}

/** `SET` entries for the model's `updatedAt`-style columns the caller did not set. */
function touched(metadata: ModelMetadata, given: ReadonlySet<string>): Assignment[] {
  if (metadata.autoUpdate.length === 0) return [];
  const now = new Date();
  return metadata.autoUpdate.filter((a) => !given.has(a.property)).map((a) => ({ column: a.column, value: new Date(now.getTime()), type: a.type }));
}

/** UPDATE of every row matching `where` with validated values. */
export async function updateRows<T extends ActiveRecord>(model: ModelClass<T>, metadata: ModelMetadata, where: Condition | undefined, values: CreateInput<T>, options: WriteOptions): Promise<number> {
  const entries = assignmentEntries(metadata, values, { ...options, undefinedIsError: true });
  if (entries.length === 0) return 0;
  // Validation puts a `validate` schema's output (trimmed, lowercased...) in place of the value: that is what gets written.
  const checked = Object.fromEntries(entries);
  getModelValidation(metadata).check(checked, entries.map(([k]) => k));
  const set: Assignment[] = entries.map(([property]) => {
    const a = metadata.attribute(property);
    return { column: a.column, value: checked[property], type: a.type };
  });
  set.push(...touched(metadata, new Set(entries.map(([k]) => k))));
  const result = await execute(sessionOf(model), { kind: "update", table: metadata.table, set, ...defined({ where }) });
  return result.affectedRows;
}

/**
 * `SET attribute = attribute + by` on every row matching `where`, in one
 * statement: concurrent increments never lose one another's counts.
 */
export async function incrementRows(model: object & { name: string }, metadata: ModelMetadata, where: Condition | undefined, attribute: string, by: number | bigint): Promise<number> {
  const set = [incrementAssignment(metadata, attribute, by), ...touched(metadata, new Set([attribute]))];
  const result = await execute(sessionOf(model), { kind: "update", table: metadata.table, set, ...defined({ where }) });
  return result.affectedRows;
}

/** `column = column + by`, checked: a numeric attribute, a finite amount of the attribute's kind. */
export function incrementAssignment(metadata: ModelMetadata, attribute: string, by: number | bigint): Assignment {
  const a = metadata.attribute(attribute);
  const numeric = a.type === "integer" || a.type === "bigint" || a.type === "real" || a.type === "decimal";
  if (!numeric) throw new ArgumentError(`${metadata.name}.${attribute} is a ${a.type} column: increment() and decrement() take a numeric attribute`);
  const fits = a.type === "real" || a.type === "decimal" ? Number.isFinite(by) || typeof by === "bigint" : Number.isSafeInteger(by) || typeof by === "bigint";
  if (!fits) throw new ValidationError(metadata.name, [{ field: attribute, message: `cannot be incremented by ${show(by)}` }]);
  return { column: a.column, value: by, type: a.type, add: true };
}

/** `deleteWhere({})` / `updateWhere({}, ...)` would touch every row: that must be said on purpose. */
export function refuseEverything(model: string, conditions: unknown, method: string, instead: string): void {
  if (isPlainObject(conditions) && Object.keys(conditions).length === 0) {
    throw new ArgumentError(`${model}.${method}({}) would touch every row; say so with ${model}.query().${instead}`);
  }
}
