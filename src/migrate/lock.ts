/**
 * Two deploys migrating at once must apply each migration exactly once.
 *
 * - With transaction-scoped advisory locks (PostgreSQL), each migration's own
 *   transaction takes `pg_advisory_xact_lock` first and then checks the
 *   ledger: the lock ends with the transaction, so it is safe behind PgBouncer
 *   in transaction mode, where a session lock could outlive its holder.
 * - Elsewhere (libSQL, D1) a lock row with an owner and an expiry is held for
 *   the whole run and renewed before each migration; an expired row (a
 *   migrator that died) may be taken over.
 */
import type { Backend } from "../backend/backend.ts";
import type { CompiledQuery } from "../query/ast.ts";
import { MigrationError } from "./errors.ts";
import { LEDGER_TABLE, statement } from "./ledger.ts";

/** The table holding the lock row where the dialect has no advisory locks (libSQL, D1). */
export const LOCK_TABLE = `${LEDGER_TABLE}_lock`;

/** How long `migrate` and `rollback` wait for the migration lock, and how long a lock row lasts. */
export interface LockOptions {
  /** How long to wait for another migrator, in ms (default 60 s). */
  readonly lockTimeout?: number;
  /** How long a lock row stays valid without renewal, in ms (default 5 min). */
  readonly lockTtl?: number;
}

/** The statement a migration's transaction starts with where the dialect has advisory locks. */
export function advisoryLock(): CompiledQuery {
  // One lock per schema, so that schemas of one database migrate independently.
  return { sql: `SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.${LEDGER_TABLE}')) AS locked`, params: [], kind: "read" };
}

/** The lock row's table (created before the lock is taken; on PostgreSQL under the advisory lock, see runner.ts). */
export function createLockTable(dialect: Backend["dialect"]): CompiledQuery {
  return { sql: `CREATE TABLE IF NOT EXISTS ${dialect.quoteIdentifier(LOCK_TABLE)} (id INTEGER PRIMARY KEY, owner TEXT NOT NULL, expires_at BIGINT NOT NULL)`, params: [], kind: "schema" };
}

export interface RowLock {
  /** Extends the expiry; throws when another migrator took the lock over meanwhile. */
  renew(): Promise<void>;
  release(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function acquireRowLock(backend: Backend, options: LockOptions = {}): Promise<RowLock> {
  const { dialect } = backend;
  const q = dialect.quoteIdentifier(LOCK_TABLE);
  const ttl = options.lockTtl ?? 300_000;
  const deadline = Date.now() + (options.lockTimeout ?? 60_000);
  const owner = crypto.randomUUID();
  await backend.execute(createLockTable(dialect));
  for (let attempt = 0; ; attempt++) {
    const now = Date.now();
    await backend.execute({
      ...statement(
        dialect,
        [`INSERT INTO ${q} (id, owner, expires_at) VALUES (1, `, ", ", `) ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at WHERE ${q}.expires_at < `, ""],
        owner,
        now + ttl,
        now,
      ),
      kind: "insert",
    });
    const { rows } = await backend.execute({ ...statement(dialect, [`SELECT owner FROM ${q} WHERE id = 1`]), kind: "read" });
    if (rows[0]?.owner === owner) break;
    if (Date.now() > deadline) {
      throw new MigrationError(`another migrator holds the migration lock (${LOCK_TABLE}, owner ${String(rows[0]?.owner)}); gave up after ${options.lockTimeout ?? 60_000} ms`);
    }
    await sleep(Math.min(50 * 2 ** attempt, 500));
  }
  return {
    async renew() {
      const result = await backend.execute({ ...statement(dialect, [`UPDATE ${q} SET expires_at = `, " WHERE id = 1 AND owner = ", ""], Date.now() + ttl, owner), kind: "update" });
      if (result.affectedRows === 0) throw new MigrationError("the migration lock expired and another migrator took it over: stopped before the next migration");
    },
    async release() {
      await backend.execute({ ...statement(dialect, [`DELETE FROM ${q} WHERE id = 1 AND owner = `, ""], owner), kind: "delete" });
    },
  };
}
