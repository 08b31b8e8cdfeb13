/**
 * `record.increment("views")`, `decrement`, `touch()`: one UPDATE by the
 * record's key that the database computes (`views = views + 1`), so two
 * requests counting at once never lose a count, as a read-modify-save would.
 * Like Rails' `increment!` and `touch`, they skip validation and hooks; the
 * record takes the database's new values and nothing else it holds changes.
 */
import type { Assignment, Condition } from "../query/ast.ts";
import { ConfigurationError, RecordNotFoundError } from "../errors.ts";
import type { ActiveRecord } from "./active-record.ts";
import { sessionOf } from "./binding.ts";
import { execute } from "./execution.ts";
import { applyRow } from "./hydration.ts";
import { getModelMetadata, type AttributeMetadata } from "./metadata.ts";
import { persistedKey, primaryKeyCondition } from "./persistence.ts";
import { incrementAssignment } from "./query-writes.ts";
import { rememberBeforeWrite } from "./rollback-state.ts";
import type { ModelClass } from "./types.ts";

/** Adds `by` to a numeric attribute (and sets `updatedAt`-style columns), in SQL; returns the record with the new values. */
export async function incrementRecord<T extends ActiveRecord>(record: T, attribute: string, by: number | bigint): Promise<T> {
  const metadata = getModelMetadata(record.constructor as ModelClass<T>);
  const now = new Date();
  const stamps = metadata.autoUpdate.filter((a) => a.property !== attribute);
  const set: Assignment[] = [incrementAssignment(metadata, attribute, by), ...stamps.map((a) => ({ column: a.column, value: new Date(now.getTime()), type: a.type }))];
  return writeByKey(record, set, [metadata.attribute(attribute), ...stamps]);
}

/** Sets the model's `updatedAt`-style columns to now, and nothing else. */
export async function touchRecord<T extends ActiveRecord>(record: T): Promise<T> {
  const metadata = getModelMetadata(record.constructor as ModelClass<T>);
  if (metadata.autoUpdate.length === 0) throw new ConfigurationError(`${metadata.name} has no updatedAt column to touch (@column.updatedAt())`);
  const now = new Date();
  return writeByKey(record, metadata.autoUpdate.map((a) => ({ column: a.column, value: new Date(now.getTime()), type: a.type })), metadata.autoUpdate);
}

async function writeByKey<T extends ActiveRecord>(record: T, set: readonly Assignment[], written: readonly AttributeMetadata[]): Promise<T> {
  const model = record.constructor as ModelClass<T>;
  const metadata = getModelMetadata(model);
  const session = sessionOf(model);
  const key = persistedKey(metadata, record);
  const where: Condition = primaryKeyCondition(metadata, key);
  const columns = written.map((a) => a.column);
  rememberBeforeWrite(session, record, metadata);
  const returning = session.dialect.capabilities.returning;
  const result = await execute(session, { kind: "update", table: metadata.table, set, where, ...(returning ? { returning: columns } : {}) });
  if (result.affectedRows === 0) throw new RecordNotFoundError(metadata.name, key);
  // Without RETURNING, read the new values back by key (inside a transaction the same connection sees them).
  const row = returning ? result.rows[0] : (await execute(session, { kind: "select", table: metadata.table, columns: columns.map((column) => ({ kind: "column", column })), where, limit: 1 })).rows[0];
  if (row) applyRow(record, row, metadata, session.dialect.values);
  return record;
}
