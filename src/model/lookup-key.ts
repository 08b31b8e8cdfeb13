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
import type { ActiveRecord, PrimaryKeyValue } from "./active-record.ts";
import { getModelMetadata, type ModelMetadata } from "./metadata.ts";
import { ModelQuery } from "./query.ts";
import { oneOf } from "../query/operators.ts";
import type { Conditions, ModelClass } from "./types.ts";
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

/** The records with these single-column keys, in the order of `keys` (absent ones left out), in one query. */
export async function findByKeys<T extends ActiveRecord>(model: ModelClass<T>, keys: readonly PrimaryKeyValue[]): Promise<T[]> {
  const metadata = getModelMetadata(model);
  if (!Array.isArray(keys)) throw new ArgumentError(`${metadata.name}.findMany() takes an array of keys, got ${show(keys)}`);
  if (metadata.primaryKey.length !== 1) throw new ArgumentError(`${metadata.name}.findMany() needs a single-column primary key; use where() with and()/or() for a composite one`);
  const pk = metadata.primaryKey[0]!;
  const values = keys.map((key) => lookupKey(metadata, key)[0]);
  const records = await new ModelQuery(model).where({ [pk.property]: oneOf(values) } as Conditions<T>).all();
  const byKey = new Map(records.map((r) => [String((r as Record<string, unknown>)[pk.property]), r]));
  return values.flatMap((v) => byKey.get(String(v)) ?? []);
}
