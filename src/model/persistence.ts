/**
 * Writing records: insert, update of changed columns, delete (soft or hard),
 * bulk insert and upsert, with lifecycle hooks, timestamps and optimistic
 * locking. A model with hooks saves inside a transaction (a savepoint when one
 * is open), so a failing after-hook leaves nothing half-written; a model
 * without hooks saves with a single statement.
 */
import type { Condition } from "../query/ast.ts";
import { ArgumentError, RecordNotFoundError, StaleRecordError } from "../errors.ts";
import type { ActiveRecord, PrimaryKeyValue } from "./active-record.ts";
import { sessionOf } from "./binding.ts";
import { execute, executeStatement } from "./execution.ts";
import { hasHooks, runHooks, type HookEvent } from "./hooks.ts";
import { getModelMetadata, type AttributeMetadata, type ModelMetadata } from "./metadata.ts";
import { applyRow } from "./hydration.ts";
import { changedAttributes, markSaved, stateOf } from "./state.ts";
import { insertStatement, updateByKeyStatement } from "./statement-cache.ts";
import type { ModelClass } from "./types.ts";
import { runTransaction } from "../transaction/runner.ts";
import { getModelValidation } from "./validation.ts";
import { rememberBeforeWrite } from "./rollback-state.ts";

type Values = Record<string, unknown>;

/** The primary key's values in key order. A single key may come bare or in an object; a composite one always comes as an object. */
export function primaryKeyValues(metadata: ModelMetadata, key: PrimaryKeyValue): unknown[] {
  const keys = metadata.primaryKey;
  const isObject = typeof key === "object" && key !== null;
  if (keys.length > 1 && !isObject) {
    throw new ArgumentError(`${metadata.name} has a composite key (${keys.map((k) => k.property).join(", ")}): pass an object with each`);
  }
  return keys.map((a) => {
    const value = isObject ? (key as Values)[a.property] : key;
    if (value === undefined || value === null) throw new ArgumentError(`${metadata.name}: no value for primary key "${a.property}"`);
    return value;
  });
}

/** `key = value [AND ...]`, for the statements not built from a template. */
export function primaryKeyCondition(metadata: ModelMetadata, key: PrimaryKeyValue): Condition {
  const values = primaryKeyValues(metadata, key);
  const items = metadata.primaryKey.map((a, i) => ({ kind: "compare", column: a.column, op: "=", value: values[i], type: a.type }) as const);
  return items.length === 1 ? items[0]! : { kind: "group", op: "AND", items };
}

/** The key the record's row has in the database (its original values, in case the key was edited). */
export function persistedKey(metadata: ModelMetadata, record: object): PrimaryKeyValue {
  const { original } = stateOf(record);
  const values = record as Values;
  if (metadata.primaryKey.length === 1) {
    const p = metadata.primaryKey[0]!.property;
    return (p in original ? original[p] : values[p]) as PrimaryKeyValue;
  }
  return Object.fromEntries(metadata.primaryKey.map(({ property: p }) => [p, p in original ? original[p] : values[p]]));
}

/** Defaults and creation timestamps for attributes left unset on a new row. */
export function fillNew(metadata: ModelMetadata, values: Values, now: Date): void {
  for (const a of metadata.attributes) {
    if (values[a.property] !== undefined) continue;
    if (a.options.autoCreate || a.options.autoUpdate) values[a.property] = new Date(now.getTime());
    else if (a.makeDefault) values[a.property] = a.makeDefault();
  }
}

const SAVE_HOOKS: HookEvent[] = ["beforeValidate", "afterValidate", "beforeSave", "afterSave", "beforeCreate", "afterCreate", "beforeUpdate", "afterUpdate"];

/** Runs the record's hooks for each event in turn. */
async function fire<T extends ActiveRecord>(model: ModelClass<T>, record: T, ...names: HookEvent[]): Promise<void> {
  for (const name of names) await runHooks(model, record, name);
}

/**
 * A model with hooks writes inside a transaction (a savepoint when one is
 * open), so a failing after-hook leaves nothing half-written; one without
 * skips every hook step, awaits included. A save is on the hot path, so the
 * steps are plain functions taking `hooked`, not closures made per call.
 */
export function insertRecord<T extends ActiveRecord>(model: ModelClass<T>, record: T): Promise<void> {
  if (!hasHooks(model, ...SAVE_HOOKS)) return insertNow(model, record, false);
  return runTransaction(sessionOf(model), () => insertNow(model, record, true));
}

async function insertNow<T extends ActiveRecord>(model: ModelClass<T>, record: T, hooked: boolean): Promise<void> {
  const metadata = getModelMetadata(model);
  const values = record as unknown as Values;
  rememberBeforeWrite(sessionOf(model), record, metadata);
  fillNew(metadata, values, new Date());
  if (hooked) await fire(model, record, "beforeValidate");
  const replaced = getModelValidation(metadata).check(values);
  await undoneOnFailure(values, replaced, async () => {
    if (hooked) await fire(model, record, "afterValidate", "beforeSave", "beforeCreate");

    const session = sessionOf(model);
    const present = metadata.attributes.filter((a) => values[a.property] !== undefined);
    const returning = session.dialect.capabilities.returning;
    const statement = insertStatement(metadata, session.dialect, present, present.map((a) => values[a.property]), returning);
    const result = await executeStatement(session, statement);
    if (returning && result.rows[0]) {
      // The columns read back take the database's values; the rest were stored exactly as sent.
      applyRow(record, result.rows[0], metadata, session.dialect.values);
      markSaved(record, present.filter((a) => !(a.column in result.rows[0]!)));
    } else {
      const [key] = metadata.primaryKey;
      if (metadata.primaryKey.length === 1 && key!.schema.autoIncrement && values[key!.property] === undefined && result.lastInsertId !== undefined) {
        values[key!.property] = session.dialect.values.fromDatabase(key!.type, result.lastInsertId);
      }
      markSaved(record, metadata.attributes);
    }
    if (hooked) await fire(model, record, "afterCreate", "afterSave");
  });
}

export function updateRecord<T extends ActiveRecord>(model: ModelClass<T>, record: T): Promise<void> {
  const metadata = getModelMetadata(model);
  if (hasHooks(model, ...SAVE_HOOKS)) return runTransaction(sessionOf(model), () => updateNow(model, record, metadata, undefined));
  // Without hooks nothing runs between here and validation that could change an attribute: the changes found now are the ones validated.
  const changed = changedAttributes(record, metadata);
  if (changed.length === 0) return Promise.resolve();
  return updateNow(model, record, metadata, changed);
}

/** `changedBefore`: the changed attributes, already found (no hooks); undefined for a model with hooks, whose beforeValidate may change them. */
async function updateNow<T extends ActiveRecord>(model: ModelClass<T>, record: T, metadata: ModelMetadata, changedBefore: AttributeMetadata[] | undefined): Promise<void> {
  const hooked = changedBefore === undefined;
  rememberBeforeWrite(sessionOf(model), record, metadata);
  if (hooked) await fire(model, record, "beforeValidate");
  const replaced = getModelValidation(metadata).check(record as unknown as Values, (changedBefore ?? changedAttributes(record, metadata)).map((a) => a.property));
  await undoneOnFailure(record as unknown as Values, replaced, async () => {
    if (hooked) await fire(model, record, "afterValidate", "beforeSave", "beforeUpdate");
    // Hooks, and validation's replaced values, may have changed attributes: what gets written is decided now.
    const changed = changedAttributes(record, metadata);
    if (changed.length === 0) return;
    const values = record as unknown as Values;
    const now = new Date();
    for (const a of metadata.autoUpdate) {
      if (!changed.includes(a)) {
        values[a.property] = new Date(now.getTime());
        changed.push(a);
      }
    }
    const key = persistedKey(metadata, record);
    const keys = primaryKeyValues(metadata, key);
    const version = metadata.version;
    const expected = version ? stateOf(record).original[version.property] : undefined;
    if (version) {
      values[version.property] = typeof expected === "bigint" ? expected + 1n : Number(expected ?? 0) + 1;
      if (!changed.includes(version)) changed.push(version);
    }
    const session = sessionOf(model);
    const statement = updateByKeyStatement(metadata, session.dialect, changed, {
      values: changed.map((a) => values[a.property]),
      key: keys,
      ...(version ? { expectedVersion: expected } : {}),
    });
    const result = await executeStatement(session, statement);
    if (result.affectedRows === 0) {
      if (version) {
        values[version.property] = expected;
        throw new StaleRecordError(metadata.name, key, expected);
      }
      throw new RecordNotFoundError(metadata.name, key);
    }
    markSaved(record, changed);
    if (hooked) await fire(model, record, "afterUpdate", "afterSave");
  });
}

/**
 * Runs the rest of a write after validation replaced some values with their
 * schema's output (`replaced` holds them as they were): if it fails, they get
 * back the values they had, unless something since changed them again, so a
 * failed save leaves the record as the caller left it.
 */
async function undoneOnFailure(values: Values, replaced: Values | undefined, work: () => Promise<void>): Promise<void> {
  if (!replaced) return work();
  const outputs = Object.fromEntries(Object.keys(replaced).map((p) => [p, values[p]]));
  try {
    await work();
  } catch (error) {
    for (const p in replaced) if (Object.is(values[p], outputs[p])) values[p] = replaced[p];
    throw error;
  }
}

/**
 * Deletes a record's row, or on a soft-delete model (unless `force`) marks it
 * deleted. Returns whether a row was affected; a version mismatch is a
 * StaleRecordError and nothing is written.
 */
export async function deleteRecord<T extends ActiveRecord>(model: ModelClass<T>, record: T, force: boolean): Promise<boolean> {
  const metadata = getModelMetadata(model);
  let affected = false;
  const hooked = hasHooks(model, "beforeDelete", "afterDelete");
  const work = async () => {
    rememberBeforeWrite(sessionOf(model), record, metadata);
    if (hooked) await fire(model, record, "beforeDelete");
    const key = persistedKey(metadata, record);
    const items: Condition[] = [primaryKeyCondition(metadata, key)];
    const { version, softDelete } = metadata;
    const expected = version ? stateOf(record).original[version.property] : undefined;
    if (version) items.push({ kind: "compare", column: version.column, op: "=", value: expected, type: version.type });
    const where: Condition = items.length === 1 ? items[0]! : { kind: "group", op: "AND", items };
    const session = sessionOf(model);
    const values = record as unknown as Values;
    let result;
    if (softDelete && !force) {
      const deletedAt = new Date();
      const set = [{ column: softDelete.column, value: deletedAt, type: softDelete.type }];
      // A soft delete is a change of the row like any update: it moves the version on, so a copy read before it is stale.
      const nextVersion = version ? (typeof expected === "bigint" ? expected + 1n : Number(expected ?? 0) + 1) : undefined;
      if (version) set.push({ column: version.column, value: nextVersion as never, type: version.type });
      result = await execute(session, { kind: "update", table: metadata.table, set, where });
      if (result.affectedRows > 0) {
        values[softDelete.property] = deletedAt;
        if (version) values[version.property] = nextVersion;
        markSaved(record, version ? [softDelete, version] : [softDelete]);
      }
    } else {
      result = await execute(session, { kind: "delete", table: metadata.table, where });
      if (result.affectedRows > 0) stateOf(record).persisted = false;
    }
    if (result.affectedRows === 0 && version) throw new StaleRecordError(metadata.name, key, expected);
    affected = result.affectedRows > 0;
    if (hooked) await fire(model, record, "afterDelete");
  };
  await (hooked ? runTransaction(sessionOf(model), work) : work());
  return affected;
}
