/**
 * A primary key given by the caller (`find(id)`, often a URL parameter),
 * checked before it becomes a condition: null, undefined, a missing part of a
 * composite key or a value of the wrong type is an error naming the model and
 * the key attribute, never a query for "no key".
 */
import { operandMismatch } from "../query/operands.ts";
import { isPlainObject } from "../query/where.ts";
import { show } from "../show.ts";
import { ArgumentError, ValidationError } from "../errors.ts";
import type { PrimaryKeyValue } from "./active-record.ts";
import type { ModelMetadata } from "./metadata.ts";
import { primaryKeyValues } from "./persistence.ts";

/** The key's values in key order, each checked against its column. */
export function lookupKey(metadata: ModelMetadata, key: PrimaryKeyValue): unknown[] {
  const keys = metadata.primaryKey;
  const composite = keys.length > 1;
  if (composite && !isPlainObject(key)) {
    throw new ArgumentError(`${metadata.name} has a composite key (${keys.map((k) => k.property).join(", ")}): pass an object with each, got ${show(key)}`);
  }
  for (const a of keys) {
    const value = composite || isPlainObject(key) ? (key as Record<string, unknown>)[a.property] : key;
    if (value === undefined || value === null) throw new ArgumentError(`${metadata.name}: no value for primary key "${a.property}" (got ${show(value)})`);
    const expected = operandMismatch(a.type, value);
    if (expected) throw new ValidationError(metadata.name, [{ field: a.property, message: `expected ${expected}, got ${show(value)}` }]);
  }
  return primaryKeyValues(metadata, key);
}
