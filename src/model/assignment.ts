/**
 * Mass assignment: the checks every call that takes an object of attributes
 * (`create`, `assign`, `insertMany`, `upsert`, `updateWhere`...) makes before
 * it touches a record or builds SQL. The object is often a request body:
 * unknown keys (`__proto__`, `constructor`, `$or`) are errors, and guarded
 * attributes (`@column.boolean({ guarded: true }) isAdmin`) are refused unless
 * the caller opts in by name.
 */
import { show } from "../show.ts";
import { ArgumentError, ValidationError } from "../errors.ts";
import type { ModelMetadata } from "./metadata.ts";
import { isPlainObject } from "../query/where.ts";

/** Options of writes that take attribute values (`create`, `assign`, `insertMany`...). */
export interface WriteOptions {
  /**
   * Lets guarded attributes through. Only for attributes the program decided
   * itself (an admin tool, a seed), never for a request body as it came.
   */
  readonly allowGuarded?: boolean;
}

/**
 * The `[property, value]` pairs of `input`, each naming an attribute of the
 * model. Throws UnknownColumnError for another key, ValidationError for a
 * guarded one (unless allowed) and, with `undefinedIsError`, for `undefined`
 * (an UPDATE must not silently skip a column the caller meant to set).
 */
export function assignmentEntries(
  metadata: ModelMetadata,
  input: unknown,
  options: WriteOptions & { readonly undefinedIsError?: boolean } = {},
): [string, unknown][] {
  if (!isPlainObject(input)) throw new ArgumentError(`${metadata.name}: attributes come as a plain object, got ${show(input)}`);
  const entries: [string, unknown][] = [];
  for (const key of Object.keys(input)) {
    const attribute = metadata.attribute(key);
    const value = input[key];
    if (attribute.options.guarded && !options.allowGuarded) {
      throw new ValidationError(metadata.name, [
        { field: key, message: "is guarded and cannot be mass-assigned: set the property directly, or pass { allowGuarded: true } for values the program chose" },
      ]);
    }
    if (value === undefined && options.undefinedIsError) {
      throw new ValidationError(metadata.name, [{ field: key, message: "is undefined: give a value (null to clear it), or leave the key out" }]);
    }
    entries.push([key, value]);
  }
  return entries;
}
