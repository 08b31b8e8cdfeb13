/**
 * `loadSchema`: a schema snapshot created in one step (one transaction, or one
 * batch on D1), rather than replaying every migration: what a test suite runs
 * before its tests, or that `StateManager` / `useTransactionalTests` run
 * for it (`{ schema }`) inside their outer transaction.
 */
import type { Backend } from "../backend/backend.ts";
import type { Dialect } from "../dialect/dialect.ts";
import type { CompiledQuery } from "../query/ast.ts";
import { ddlCompilerFor } from "./apply.ts";
import { diffSchemas } from "./diff.ts";
import { MigrationError } from "./errors.ts";
import { EMPTY_SNAPSHOT, parseSnapshot, serializeSnapshot, type SchemaSnapshot } from "./snapshot.ts";

/**
 * A schema to load: a snapshot (`snapshotFromModels(models)`), the text of a
 * stored `edgerecord.schema.json`, or that file imported as JSON (its bigint
 * defaults still in their `{ "$bigint": "..." }` form, its types widened).
 */
export type SchemaSource = SchemaSnapshot | string | { readonly version: number; readonly tables: readonly object[] };

/** The snapshot a `SchemaSource` stands for, checked (a MigrationError when it is not one). */
export function snapshotOf(schema: SchemaSource): SchemaSnapshot {
  // Text and imported JSON go through the stored form, so "$bigint" defaults come back as bigints.
  return parseSnapshot(typeof schema === "string" ? schema : serializeSnapshot(schema as SchemaSnapshot));
}

/** The CREATE TABLE and CREATE INDEX statements of a schema, in dependency order, for `dialect`. */
export async function schemaStatements(dialect: Dialect, schema: SchemaSource): Promise<CompiledQuery[]> {
  const compiler = ddlCompilerFor(dialect);
  // Only CREATE TABLE and CREATE INDEX: nothing is read, so the reader is never asked.
  const reader = { read: () => Promise.reject(new MigrationError("loading a schema reads nothing")), seesOwnWrites: false };
  const statements: CompiledQuery[] = [];
  for (const op of diffSchemas(EMPTY_SNAPSHOT, snapshotOf(schema)).up) statements.push(...(await compiler.compile(op, reader)));
  return statements;
}

/** Creates every table, index and foreign key of `schema` (e.g. `snapshotFromModels(models)`) at once; returns the statements run. */
export async function loadSchema(backend: Backend, schema: SchemaSource): Promise<CompiledQuery[]> {
  const statements = await schemaStatements(backend.dialect, schema);
  try {
    if (!backend.dialect.capabilities.interactiveTransactions) {
      if (!backend.batch) throw new MigrationError(`${backend.dialect.name} offers neither transactions nor batch()`);
      await backend.batch(statements);
      return statements;
    }
    const tx = await backend.transactions.begin();
    try {
      for (const s of statements) await tx.execute(s);
      await tx.commit();
    } catch (error) {
      if (tx.isOpen) await tx.rollback().catch(() => undefined);
      throw error;
    }
    return statements;
  } catch (error) {
    if (error instanceof MigrationError) throw error;
    throw new MigrationError(`loading the schema snapshot failed and was rolled back: ${(error as Error).message}`, { cause: error });
  }
}
