/**
 * The ledger: one row per applied migration in `edgerecord_migrations`
 * (name, checksum, batch, applied_at). A migration is applied when its name
 * is a member, whatever its neighbours: an older migration merged late is
 * pending, never skipped as a high-water mark would.
 */
import type { CompiledQuery } from "../query/ast.ts";
import type { Dialect } from "../dialect/dialect.ts";
import type { Executor } from "../backend/backend.ts";
import { SqlFragment } from "../query/raw.ts";
import { columnSchema } from "./columns.ts";
import { DdlCompiler } from "./ddl.ts";

/** The table holding one row per applied migration. */
export const LEDGER_TABLE = "edgerecord_migrations";

/** One applied migration, as the ledger records it. */
export interface LedgerRow {
  /** The migration's name. */
  readonly name: string;
  /** Hex SHA-256 of what the migration did when applied (its operations, or its `.sql` text). */
  readonly checksum: string;
  /** The `migrate` call that applied it: 1 for the first, counting up; `rollback` undoes the newest first. */
  readonly batch: number;
  /** When it was applied, as the driver returns the datetime column (a Date or a string). */
  readonly appliedAt: unknown;
}

/** A statement with `?`-style parameters, compiled for the dialect's placeholders. */
export function statement(dialect: Dialect, strings: readonly string[], ...params: unknown[]): CompiledQuery {
  return dialect.compile(new SqlFragment(strings, params));
}

export function createLedger(dialect: Dialect): CompiledQuery {
  const [create] = new DdlCompiler(dialect).createTable(
    {
      name: LEDGER_TABLE,
      columns: [
        columnSchema("name", "varchar", { length: 255, primaryKey: true }),
        columnSchema("checksum", "varchar", { length: 64 }),
        columnSchema("batch", "integer"),
        columnSchema("applied_at", "datetime", { default: "now" }),
      ],
      foreignKeys: [],
      checks: [],
      indexes: [],
    },
    true,
  );
  return create!;
}

export async function readLedger(dialect: Dialect, executor: Executor): Promise<LedgerRow[]> {
  const q = dialect.quoteIdentifier(LEDGER_TABLE);
  const { rows } = await executor.execute({ sql: `SELECT name, checksum, batch, applied_at FROM ${q} ORDER BY batch, name`, params: [], kind: "read" });
  return rows.map((r) => ({ name: String(r.name), checksum: String(r.checksum), batch: Number(r.batch), appliedAt: r.applied_at }));
}

export function recordApplied(dialect: Dialect, name: string, checksum: string, batch: number): CompiledQuery {
  const q = dialect.quoteIdentifier(LEDGER_TABLE);
  return { ...statement(dialect, [`INSERT INTO ${q} (name, checksum, batch) VALUES (`, ", ", ", ", ")"], name, checksum, batch), kind: "insert" };
}

export function recordReverted(dialect: Dialect, name: string): CompiledQuery {
  const q = dialect.quoteIdentifier(LEDGER_TABLE);
  return { ...statement(dialect, [`DELETE FROM ${q} WHERE name = `, ""], name), kind: "delete" };
}
