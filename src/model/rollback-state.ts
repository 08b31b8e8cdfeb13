/**
 * A record's in-memory state when the transaction that wrote it rolls back
 * (Rails' `restore_transaction_record_state`). Without this, a record created
 * in a rolled-back transaction would keep `isPersisted === true` and its new
 * id, so its next save() would update a row that does not exist; and a
 * rolled-back update would leave the record clean, so the change would never
 * be written.
 *
 * Before its first write at a transaction level, the record's state is
 * remembered there (persisted flag, snapshot of the database values, and its
 * attribute values). If that level rolls back, the record gets its persisted
 * flag and snapshot back, and each attribute the write left as it was (keys,
 * timestamps, version, defaults filled in by the save) gets its earlier value
 * back; an attribute the caller changed since the write keeps the caller's
 * value. A released savepoint hands its records to the enclosing level (see
 * transaction/levels.ts), so only the records of the level that rolled back
 * are touched.
 */
import { rollbackLevel } from "../transaction/levels.ts";
import type { Session } from "../transaction/session.ts";
import type { ModelMetadata } from "./metadata.ts";
import { sameValue, snapshotValue, stateOf } from "./state.ts";

type Values = Record<string, unknown>;

/** Call before writing `record` through `session`: inside a transaction, remembers how to undo the write in memory. */
export function rememberBeforeWrite(session: Session, record: object, metadata: ModelMetadata): void {
  const scope = rollbackLevel(session.transaction);
  if (!scope || scope.written.has(record)) return;
  const state = stateOf(record);
  const values = record as Values;
  const persisted = state.persisted;
  const original: Values = {};
  for (const [key, value] of Object.entries(state.original)) {
    const attribute = metadata.attributes.find((a) => a.property === key);
    original[key] = attribute ? snapshotValue(attribute.type, value) : value;
  }
  const before = metadata.attributes.map((a) => snapshotValue(a.type, values[a.property]));
  scope.written.set(record, () => {
    const written = state.original;
    metadata.attributes.forEach((a, i) => {
      if (sameValue(a.type, values[a.property], written[a.property])) values[a.property] = before[i];
    });
    for (const key of Object.keys(written)) delete written[key];
    Object.assign(written, original);
    state.persisted = persisted;
  });
}

/**
 * For records that `insertMany` made from rows it inserted: if the transaction
 * rolls back, they are new records again (not persisted, generated keys
 * cleared), so a later save() inserts them instead of updating nothing.
 */
export function forgetOnRollback(session: Session, records: readonly object[], metadata: ModelMetadata, given: readonly Values[]): void {
  const scope = rollbackLevel(session.transaction);
  if (!scope) return;
  const generated = metadata.primaryKey.filter((a) => a.schema.autoIncrement);
  records.forEach((record, i) => {
    const values = record as Values;
    scope.written.set(record, () => {
      const state = stateOf(record);
      for (const key of Object.keys(state.original)) delete state.original[key];
      state.persisted = false;
      for (const a of generated) if (given[i]?.[a.property] === undefined) values[a.property] = undefined;
    });
  });
}
