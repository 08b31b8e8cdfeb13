/** Writing records: insert, update of changed columns, bulk insert, key conditions. */
import type { Condition, InsertQuery } from "../query/ast.ts";
import { ConfigurationError, RecordNotFoundError, ValidationError, type ValidationIssue } from "../errors.ts";
import type { ActiveRecord, PrimaryKeyValue } from "./active-record.ts";
import { backendOf } from "./binding.ts";
import { execute, executeStatement } from "./execution.ts";
import { getModelMetadata, type AttributeMetadata, type ModelMetadata } from "./metadata.ts";
import { applyRow, changedAttributes, hydrator, markSaved, stateOf } from "./state.ts";
import type { ModelClass } from "./types.ts";
import { insertStatement, keyValues, updateByKeyStatement } from "./statement-cache.ts";
import { runTransaction } from "./transaction.ts";
import { getModelValidation } from "./validation.ts";

type Values = Record<string, unknown>;

export function primaryKeyCondition(metadata: ModelMetadata, key: PrimaryKeyValue): Condition {
  const keys = metadata.primaryKey;
  if (keys.length === 1) {
    const [a] = keys as [AttributeMetadata];
    const value = typeof key === "object" && key !== null && !(key instanceof Uint8Array) ? (key as Values)[a.property] : key;
    if (value === undefined || value === null) throw new TypeError(`${metadata.name}: no value for primary key "${a.property}"`);
    return { kind: "compare", column: a.column, op: "=", value, type: a.type };
  }
  if (typeof key !== "object" || key === null) {
    throw new TypeError(`${metadata.name} has a composite key (${keys.map((k) => k.property).join(", ")}): pass an object with each`);
  }
  return {
    kind: "group",
    op: "AND",
    items: keys.map((a) => {
      const value = (key as Values)[a.property];
      if (value === undefined || value === null) throw new TypeError(`${metadata.name}: no value for primary key "${a.property}"`);
      return { kind: "compare", column: a.column, op: "=", value, type: a.type } as const;
    }),
  };
}

function applyDefaults(metadata: ModelMetadata, values: Values): void {
  for (const a of metadata.attributes) {
    if (values[a.property] === undefined && a.makeDefault) values[a.property] = a.makeDefault();
  }
}

export async function insertRecord<T extends ActiveRecord>(model: ModelClass<T>, record: T): Promise<void> {
  const metadata = getModelMetadata(model);
  const values = record as unknown as Values;
  applyDefaults(metadata, values);
  getModelValidation(metadata).check(values);
  const backend = backendOf(model);
  const present = metadata.attributes.filter((a) => values[a.property] !== undefined);
  const returning = backend.dialect.capabilities.returning;
  const statement = insertStatement(metadata, backend.dialect, present, present.map((a) => values[a.property]), returning);
  const result = await executeStatement(backend, statement);
  if (returning && result.rows[0]) {
    applyRow(record, result.rows[0], metadata, backend.dialect.values);
    return;
  }
  const [key] = metadata.primaryKey;
  if (metadata.primaryKey.length === 1 && key!.schema.autoIncrement && values[key!.property] === undefined && result.lastInsertId !== undefined) {
    values[key!.property] = backend.dialect.values.fromDatabase(key!.type, result.lastInsertId);
  }
  markSaved(record, metadata.attributes);
}

export async function updateRecord<T extends ActiveRecord>(model: ModelClass<T>, record: T): Promise<void> {
  const metadata = getModelMetadata(model);
  const changed = changedAttributes(record, metadata);
  if (changed.length === 0) return;
  const values = record as unknown as Values;
  getModelValidation(metadata).check(values, changed.map((a) => a.property));
  const { original } = stateOf(record);
  const key = metadata.primaryKey.length === 1
    ? (original[metadata.primaryKey[0]!.property] as PrimaryKeyValue)
    : Object.fromEntries(metadata.primaryKey.map((k) => [k.property, original[k.property]]));
  const backend = backendOf(model);
  const keys = keyValues(primaryKeyCondition(metadata, key));
  const statement = updateByKeyStatement(metadata, backend.dialect, changed, [...changed.map((a) => values[a.property]), ...keys]);
  const result = await executeStatement(backend, statement);
  if (result.affectedRows === 0) throw new RecordNotFoundError(metadata.name, key);
  markSaved(record, changed);
}

export async function insertRows<T extends ActiveRecord>(
  model: ModelClass<T>,
  input: readonly Values[],
  returnRecords: boolean,
): Promise<T[] | number> {
  if (input.length === 0) return returnRecords ? [] : 0;
  const metadata = getModelMetadata(model);
  const validation = getModelValidation(metadata);
  const issues: ValidationIssue[] = [];
  const rows = input.map((source, index) => {
    const values: Values = {};
    for (const [key, value] of Object.entries(source)) {
      metadata.attribute(key);
      values[key] = value;
    }
    applyDefaults(metadata, values);
    try {
      validation.check(values);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      for (const issue of error.issues) issues.push({ field: `[${index}].${issue.field}`, message: issue.message });
    }
    return values;
  });
  if (issues.length) throw new ValidationError(metadata.name, issues);

  // Every row carries the same columns: those any row sets. Unset ones go as NULL.
  const present = metadata.attributes.filter((a) => rows.some((r) => r[a.property] !== undefined));
  for (const a of present) {
    if (a.schema.autoIncrement && rows.some((r) => r[a.property] === undefined)) {
      throw new ConfigurationError(`${metadata.name}.insertMany: "${a.property}" is set on some rows but not others; set it on all or none`);
    }
  }
  const backend = backendOf(model);
  const { maxParameters, returning: canReturn } = backend.dialect.capabilities;
  const perStatement = Math.max(1, Math.floor(maxParameters / Math.max(1, present.length)));
  const wantRows = returnRecords && canReturn;
  const statements: InsertQuery[] = [];
  for (let start = 0; start < rows.length; start += perStatement) {
    statements.push({
      kind: "insert",
      table: metadata.table,
      columns: present.map((a) => a.column),
      types: present.map((a) => a.type),
      rows: rows.slice(start, start + perStatement).map((r) => present.map((a) => r[a.property] ?? null)),
      ...(wantRows ? { returning: metadata.attributes.map((a) => a.column) } : {}),
    });
  }

  const run = async () => {
    const results = [];
    for (const statement of statements) results.push(await execute(backend, statement));
    return results;
  };
  const results = statements.length === 1 ? await run() : await runTransaction(backend, run);
  if (!returnRecords) return results.reduce((n, r) => n + r.affectedRows, 0);
  if (wantRows) return results.flatMap((r) => r.rows).map(hydrator(model, metadata, backend.dialect.values));
  return rows.map((values) => {
    const record = new model();
    Object.assign(record, values);
    markSaved(record, metadata.attributes);
    return record;
  });
}
