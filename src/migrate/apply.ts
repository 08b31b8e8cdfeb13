/**
 * Applies one migration in one direction, the way its backend allows:
 *
 * - interactive transactions (libSQL, PostgreSQL): BEGIN, the statements, the
 *   ledger row, COMMIT; any failure rolls back, so the schema is as it was and
 *   nothing is recorded. SQLite-family databases run with foreign keys off
 *   (set outside the transaction, where SQLite honours it) so that a table
 *   rebuild fires no ON DELETE action, and `PRAGMA foreign_key_check` must
 *   come back empty before COMMIT;
 * - no interactive transactions (D1): the statements and the ledger row as
 *   one atomic batch, led by `PRAGMA defer_foreign_keys = ON`, since D1
 *   ignores `foreign_keys = OFF`; a rebuild sets the rows that its DROP could
 *   reach aside and puts them back (./sqlite-keep.ts), and the deferred
 *   checks run when the batch ends;
 * - `transaction: false`: statement by statement, then the ledger row.
 */
import type { Backend, Executor } from "../backend/backend.ts";
import type { CompiledQuery } from "../query/ast.ts";
import type { Dialect } from "../dialect/dialect.ts";
import { DdlCompiler, type SchemaReader } from "./ddl.ts";
import { SqliteDdlCompiler } from "./sqlite-ddl.ts";
import { MigrationError } from "./errors.ts";
import { LEDGER_TABLE, recordApplied, recordReverted, statement } from "./ledger.ts";
import { advisoryLock } from "./lock.ts";
import type { LoadedMigration } from "./migration.ts";

/** Which way a migration runs: "up" applies it, "down" rolls it back. */
export type Direction = "up" | "down";

/** The DDL compiler for the dialect: standard ALTER TABLE, or SQLite's table rebuilds where the dialect cannot alter a column. */
export function ddlCompilerFor(dialect: Dialect): DdlCompiler {
  return dialect.capabilities.alterColumn ? new DdlCompiler(dialect) : new SqliteDdlCompiler(dialect);
}

/** The statements a migration runs (reads for a SQLite rebuild go to `reader`, writes nowhere): for `--dry-run` and batches. */
export async function compileMigration(
  dialect: Dialect,
  migration: LoadedMigration,
  direction: Direction,
  reader: SchemaReader,
  /** Runs each operation's statements before the next is compiled, so that a rebuild reads the table as the earlier ones left it. */
  execute?: (query: CompiledQuery) => Promise<unknown>,
): Promise<CompiledQuery[]> {
  const compiler = ddlCompilerFor(dialect);
  // Only an interactive transaction has foreign keys switched off around it; a batch defers them (see the top of this file).
  if (compiler instanceof SqliteDdlCompiler) compiler.foreignKeys = !migration.transaction ? "enforced" : dialect.capabilities.interactiveTransactions ? "off" : "deferred";
  const out: CompiledQuery[] = [];
  for (const operation of await migration.operations(direction)) {
    const statements = await compiler.compile(operation, reader);
    if (execute) for (const statement of statements) await execute(statement);
    out.push(...statements);
  }
  return out;
}

const readerOf = (executor: Executor, seesOwnWrites: boolean): SchemaReader => ({
  read: async (query) => (await executor.execute(query)).rows,
  seesOwnWrites,
});

/** The ledger statement for this direction. */
function ledgerStatement(dialect: Dialect, migration: LoadedMigration, direction: Direction, checksum: string, batch: number): CompiledQuery {
  return direction === "up" ? recordApplied(dialect, migration.name, checksum, batch) : recordReverted(dialect, migration.name);
}

/**
 * Runs it; returns the statements run, or undefined when another migrator
 * (seen under the advisory lock) had already done it.
 */
export async function applyMigration(backend: Backend, migration: LoadedMigration, direction: Direction, batch: number): Promise<CompiledQuery[] | undefined> {
  const { dialect } = backend;
  const checksum = direction === "up" ? await migration.checksum() : "";
  try {
    if (!migration.transaction) {
      const statements = await compileMigration(dialect, migration, direction, readerOf(backend, true), (q) => backend.execute(q));
      await backend.execute(ledgerStatement(dialect, migration, direction, checksum, batch));
      return statements;
    }
    if (!dialect.capabilities.interactiveTransactions) {
      const statements = await compileMigration(dialect, migration, direction, readerOf(backend, false));
      const run = backend.batch ?? ((queries: readonly CompiledQuery[]) => Promise.reject(new MigrationError(`${dialect.name} offers neither transactions nor batch()`)));
      await run.call(backend, [{ sql: "PRAGMA defer_foreign_keys = ON", params: [] }, ...statements, ledgerStatement(dialect, migration, direction, checksum, batch)]);
      return statements;
    }
    return await inTransaction(backend, migration, direction, checksum, batch);
  } catch (error) {
    if (error instanceof MigrationError) throw error;
    throw new MigrationError(`migration ${migration.name} (${direction}) failed and was rolled back: ${(error as Error).message}`, { cause: error, migration: migration.name });
  }
}

async function inTransaction(backend: Backend, migration: LoadedMigration, direction: Direction, checksum: string, batch: number): Promise<CompiledQuery[] | undefined> {
  const { dialect } = backend;
  const sqlite = !dialect.capabilities.alterColumn;
  const foreignKeysWereOn = sqlite && Number((await backend.execute({ sql: "PRAGMA foreign_keys", params: [], kind: "read" })).rows[0]?.foreign_keys) === 1;
  if (foreignKeysWereOn) await backend.execute({ sql: "PRAGMA foreign_keys = OFF", params: [] });
  try {
    const tx = await backend.transactions.begin();
    try {
      if (dialect.capabilities.advisoryLocks) {
        await tx.execute(advisoryLock());
        // Under the lock: another migrator may have applied (or reverted) it since we looked.
        const q = dialect.quoteIdentifier(LEDGER_TABLE);
        const { rows } = await tx.execute({ ...statement(dialect, [`SELECT 1 AS present FROM ${q} WHERE name = `, ""], migration.name), kind: "read" });
        if ((rows.length > 0) === (direction === "up")) {
          await tx.rollback();
          return undefined;
        }
      }
      const statements = await compileMigration(dialect, migration, direction, readerOf(tx, true), (q) => tx.execute(q));
      if (sqlite) {
        const { rows } = await tx.execute({ sql: "PRAGMA foreign_key_check", params: [], kind: "read" });
        if (rows.length > 0) {
          const sample = rows.slice(0, 3).map((r) => `${String(r.table)} row ${String(r.rowid)} -> ${String(r.parent)}`).join("; ");
          throw new MigrationError(`migration ${migration.name} would leave ${rows.length} row(s) violating a foreign key (${sample}); rolled back`, { migration: migration.name });
        }
      }
      await tx.execute(ledgerStatement(dialect, migration, direction, checksum, batch));
      await tx.commit();
      return statements;
    } catch (error) {
      if (tx.isOpen) await tx.rollback().catch(() => undefined);
      throw error;
    }
  } finally {
    if (foreignKeysWereOn) await backend.execute({ sql: "PRAGMA foreign_keys = ON", params: [] });
  }
}
