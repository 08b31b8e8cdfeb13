/**
 * `migrate`, `rollback` and `status`: what the CLI runs, and what a Worker or
 * a test calls with its migrations as an object (no file system needed).
 */
import type { Backend } from "../backend/backend.ts";
import type { CompiledQuery } from "../query/ast.ts";
import { applyMigration, compileMigration, type Direction } from "./apply.ts";
import { MigrationError } from "./errors.ts";
import { createLedger, readLedger, type LedgerRow } from "./ledger.ts";
import { acquireRowLock, advisoryLock, createLockTable, type LockOptions } from "./lock.ts";
import { loadMigrations, type LoadedMigration, type Migrations } from "./migration.ts";

/** What `migrate` takes: the migrations, plus the lock's timeouts. */
export interface MigrateOptions extends LockOptions {
  /** Every migration of the application, applied or not: name -> module or `.sql` text. */
  readonly migrations: Migrations;
  /** Refuse (rather than apply) a pending migration older than an applied one. */
  readonly strictOrder?: boolean;
  /** Compile and return the statements; run nothing, record nothing. */
  readonly dryRun?: boolean;
  /** Told of each step (the CLI prints these). */
  readonly log?: (message: string) => void;
}

/** Where the database stands against the migrations given, as `status` reports it. */
export interface MigrationStatus {
  /** The ledger's rows, in applying order (batch, then name). */
  readonly applied: readonly LedgerRow[];
  /** Not applied yet, in applying order. */
  readonly pending: readonly string[];
  /** Pending, yet older than an applied migration (merged from an older branch). */
  readonly outOfOrder: readonly string[];
  /** Applied, but their checksum differs from the ledger's. */
  readonly changed: readonly string[];
  /** In the ledger, but not among the migrations given. */
  readonly missing: readonly string[];
}

/** One migration `migrate` or `rollback` ran (or, under `dryRun`, would run). */
export interface MigrationRun {
  /** The migration's name. */
  readonly name: string;
  /** "up" when applied, "down" when rolled back. */
  readonly direction: Direction;
  /** The statements it ran, or would run, in order (without the ledger's). */
  readonly statements: readonly CompiledQuery[];
}

/** Compares the migrations given with the ledger (created if absent); changes nothing else. */
export async function status(backend: Backend, options: Pick<MigrateOptions, "migrations">): Promise<MigrationStatus> {
  await ensureLedger(backend, false);
  return compare(loadMigrations(options.migrations), await readLedger(backend.dialect, backend));
}

async function compare(list: readonly LoadedMigration[], applied: readonly LedgerRow[]): Promise<MigrationStatus> {
  const byName = new Map(applied.map((r) => [r.name, r]));
  const known = new Set(list.map((m) => m.name));
  const newestApplied = applied.reduce<string>((max, r) => (r.name > max ? r.name : max), "");
  const pending = list.filter((m) => !byName.has(m.name)).map((m) => m.name);
  const changed: string[] = [];
  for (const m of list) {
    const row = byName.get(m.name);
    if (row && row.checksum !== (await m.checksum())) changed.push(m.name);
  }
  return { applied, pending, outOfOrder: pending.filter((n) => n < newestApplied), changed, missing: applied.filter((r) => !known.has(r.name)).map((r) => r.name) };
}

/** Applies every pending migration, each in its own transaction (or batch), in name order. */
export async function migrate(backend: Backend, options: MigrateOptions): Promise<MigrationRun[]> {
  const log = options.log ?? (() => undefined);
  const list = loadMigrations(options.migrations);
  return withLock(backend, options, list, async (renew) => {
    const state = await compare(list, await readLedger(backend.dialect, backend));
    for (const name of state.changed) log(`warning: applied migration ${name} has changed since it was applied (checksum differs)`);
    for (const name of state.missing) log(`warning: applied migration ${name} is missing from the migrations given`);
    if (state.outOfOrder.length) {
      const message = `migration(s) ${state.outOfOrder.join(", ")} are older than applied ones (merged late?)`;
      if (options.strictOrder) throw new MigrationError(`${message}; refused under strictOrder`, { migration: state.outOfOrder[0] });
      log(`warning: ${message}; applying them now`);
    }
    const batch = state.applied.reduce((max, r) => Math.max(max, r.batch), 0) + 1;
    const pending = list.filter((m) => state.pending.includes(m.name));
    return run(backend, pending, "up", batch, options, renew);
  });
}

/** What `rollback` takes: `migrate`'s options, plus how far back to go. */
export interface RollbackOptions extends MigrateOptions {
  /** How many applied migrations to undo, newest first (default 1). */
  readonly step?: number;
  /** Undo every migration applied after this one (it stays applied). */
  readonly to?: string;
}

/** Undoes applied migrations, newest first (by batch, then name). */
export async function rollback(backend: Backend, options: RollbackOptions): Promise<MigrationRun[]> {
  const list = loadMigrations(options.migrations);
  const byName = new Map(list.map((m) => [m.name, m]));
  return withLock(backend, options, list, async (renew) => {
    const applied = [...(await readLedger(backend.dialect, backend))].sort((a, b) => b.batch - a.batch || (a.name < b.name ? 1 : -1));
    let chosen: LedgerRow[];
    if (options.to !== undefined) {
      const i = applied.findIndex((r) => r.name === options.to);
      if (i < 0) throw new MigrationError(`migration ${options.to} is not applied`, { migration: options.to });
      chosen = applied.slice(0, i);
    } else {
      const step = options.step ?? 1;
      if (!Number.isInteger(step) || step < 1) throw new MigrationError(`step must be a positive integer, got ${String(step)}`);
      chosen = applied.slice(0, step);
    }
    const targets = chosen.map((r) => {
      const m = byName.get(r.name);
      if (!m) throw new MigrationError(`cannot roll back ${r.name}: it is not among the migrations given`, { migration: r.name });
      return m;
    });
    return run(backend, targets, "down", 0, options, renew);
  });
}

async function run(backend: Backend, migrations: readonly LoadedMigration[], direction: Direction, batch: number, options: MigrateOptions, renew: () => Promise<void>): Promise<MigrationRun[]> {
  const log = options.log ?? (() => undefined);
  const done: MigrationRun[] = [];
  for (const m of migrations) {
    if (options.dryRun) {
      const reader = { read: async (q: CompiledQuery) => (await backend.execute(q)).rows, seesOwnWrites: false };
      done.push({ name: m.name, direction, statements: await compileMigration(backend.dialect, m, direction, reader) });
      continue;
    }
    await renew();
    const statements = await applyMigration(backend, m, direction, batch);
    if (statements === undefined) {
      log(`${m.name}: already ${direction === "up" ? "applied" : "reverted"} by another migrator`);
      continue;
    }
    log(`${direction === "up" ? "applied" : "reverted"} ${m.name}`);
    done.push({ name: m.name, direction, statements });
  }
  return done;
}

async function ensureLedger(backend: Backend, withLockTable: boolean): Promise<void> {
  const create = createLedger(backend.dialect);
  if (!backend.dialect.capabilities.advisoryLocks) return void (await backend.execute(create));
  // Two PostgreSQL migrators creating it at once collide in the catalog even with IF NOT EXISTS: take the lock first.
  const tx = await backend.transactions.begin();
  try {
    await tx.execute(advisoryLock());
    await tx.execute(create);
    if (withLockTable) await tx.execute(createLockTable(backend.dialect));
    await tx.commit();
  } catch (error) {
    if (tx.isOpen) await tx.rollback().catch(() => undefined);
    throw error;
  }
}

/**
 * Runs `work` holding the migration lock: a lock row, or (advisory locks)
 * nothing here, since each migration's transaction locks itself. A migration
 * outside a transaction (`transaction = false`) has no transaction to hold
 * an advisory lock in, and one held open beside it would pin a pooled
 * connection (and hang a pool of one): where the set has one, PostgreSQL
 * takes the lock row too, so two migrators never run it both.
 */
async function withLock<R>(backend: Backend, options: MigrateOptions, list: readonly LoadedMigration[], work: (renew: () => Promise<void>) => Promise<R>): Promise<R> {
  const advisory = backend.dialect.capabilities.advisoryLocks === true;
  const rowLockToo = advisory && list.some((m) => !m.transaction);
  await ensureLedger(backend, rowLockToo && !options.dryRun);
  if ((advisory && !rowLockToo) || options.dryRun) return work(async () => undefined);
  const lock = await acquireRowLock(backend, options);
  try {
    return await work(() => lock.renew());
  } finally {
    await lock.release();
  }
}
