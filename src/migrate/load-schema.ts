/**
 * `loadSchema`: a schema snapshot created in one step (one transaction, or one
 * batch on D1), rather than replaying every migration: what a test suite runs
 * before `useTransactionalTests` / `StateManager` takes over.
 */
import type { Backend } from "../backend/backend.ts";
import type { CompiledQuery } from "../query/ast.ts";
import { ddlCompilerFor } from "./apply.ts";
import { diffSchemas } from "./diff.ts";
import { MigrationError } from "./errors.ts";
import { EMPTY_SNAPSHOT, type SchemaSnapshot } from "./snapshot.ts";

/** Creates every table, index and foreign key of `snapshot` (e.g. `snapshotFromModels(models)`) at once; returns the statements run. */
export async function loadSchema(backend: Backend, snapshot: SchemaSnapshot): Promise<CompiledQuery[]> {
  const compiler = ddlCompilerFor(backend.dialect);
  // Only CREATE TABLE and CREATE INDEX: nothing is read, so the reader is never asked.
  const reader = { read: async (q: CompiledQuery) => (await backend.execute(q)).rows, seesOwnWrites: false };
  const statements: CompiledQuery[] = [];
  for (const op of diffSchemas(EMPTY_SNAPSHOT, snapshot).up) statements.push(...(await compiler.compile(op, reader)));
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
