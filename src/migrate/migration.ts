/**
 * Migrations as an application hands them over: an object of name ->
 * migration (a module with `up`/`down` or `change`, or the text of a `.sql`
 * file). Names sort in applying order, so they start with a timestamp
 * (`20260102T0300_add_users`). Nothing here reads files: a Worker imports or
 * bundles its migrations and passes them in.
 */
import { SchemaBuilder } from "./builder.ts";
import { MigrationError } from "./errors.ts";
import type { Operation } from "./operations.ts";
import { reverseOperations } from "./reverse.ts";
import { parseSqlMigration, sqlOperations } from "./sql-file.ts";

// `unknown`: a builder chain (`(s) => s.addColumn(...)`) returns the builder, which is ignored.
/** A migration's `up`, `down` or `change`: records its operations on the schema builder, sync or async. */
export type MigrationFunction = (schema: SchemaBuilder) => unknown;

/** A migration module: `up` (with `down` to roll back) or a reversible `change`. */
export interface Migration {
  /** Applies the migration. */
  readonly up?: MigrationFunction;
  /** Undoes what `up` did; without it (and without `change`) the migration cannot be rolled back. */
  readonly down?: MigrationFunction;
  /** A reversible migration: `down` is its operations undone in reverse order. */
  readonly change?: MigrationFunction;
  /**
   * False runs it outside a transaction, for statements that refuse one
   * (`CREATE INDEX CONCURRENTLY`). A failure half-way then leaves what ran.
   */
  readonly transaction?: boolean;
}

/** A migration module, or the text of a `.sql` migration. */
export type MigrationSource = Migration | string;
/** The migrations an application hands over: name -> migration, applied in the order of the names sorted as strings. */
export type Migrations = Readonly<Record<string, MigrationSource>>;

/** A migration ready to run, whatever its source (module or `.sql` text). */
export interface LoadedMigration {
  /** Its key in the migrations object, recorded in the ledger. */
  readonly name: string;
  /** False when it runs outside a transaction (`transaction: false`, `-- migrate:no-transaction`). */
  readonly transaction: boolean;
  /** True when it has a `down`, a `change` or a `-- migrate:down` section. */
  readonly reversible: boolean;
  /** The checksum of what the migration does (see `checksum`). */
  checksum(): Promise<string>;
  /** The operations it records in that direction; rejects for `down` when it is not reversible. */
  operations(direction: "up" | "down"): Promise<Operation[]>;
}

/** The migrations in applying order (names sorted as strings). */
export function loadMigrations(migrations: Migrations): LoadedMigration[] {
  if (!migrations || typeof migrations !== "object") throw new MigrationError("migrations must be an object of name -> migration");
  return Object.keys(migrations)
    .sort()
    .map((name) => load(name, migrations[name]!));
}

function load(name: string, source: MigrationSource): LoadedMigration {
  if (typeof source === "string") {
    const text = parseSqlMigration(source);
    return {
      name,
      transaction: text.transaction,
      reversible: text.down !== undefined,
      checksum: () => sha256(source),
      async operations(direction) {
        if (direction === "up") return sqlOperations(text.up);
        if (text.down === undefined) throw new MigrationError(`migration ${name} has no "-- migrate:down" section and cannot be rolled back`, { migration: name });
        return sqlOperations(text.down);
      },
    };
  }
  // A module namespace (`import * as m`) has its functions as own properties; a default export is unwrapped.
  const m = ((source as { default?: Migration }).default ?? source) as Migration;
  if (typeof m.up !== "function" && typeof m.change !== "function") {
    throw new MigrationError(`migration ${name} exports neither up() nor change()`, { migration: name });
  }
  const record = async (fn: MigrationFunction): Promise<Operation[]> => {
    const schema = new SchemaBuilder();
    await fn(schema);
    return schema.operations;
  };
  const loaded: LoadedMigration = {
    name,
    transaction: m.transaction !== false,
    reversible: typeof m.down === "function" || typeof m.change === "function",
    async checksum() {
      // What the migration does, not how its source is spelled: the same after bundling or minifying.
      const up = await loaded.operations("up");
      const down = loaded.reversible ? await loaded.operations("down").catch((e: Error) => e.message) : null;
      return sha256(JSON.stringify({ up, down, transaction: loaded.transaction }, (_k, v) => (typeof v === "bigint" ? `${v}n` : v)));
    },
    async operations(direction) {
      if (direction === "up") return record(m.up ?? m.change!);
      if (m.down) return record(m.down);
      if (m.change) return reverseOperations(await record(m.change), name);
      throw new MigrationError(`migration ${name} has no down() and cannot be rolled back`, { migration: name });
    },
  };
  return loaded;
}

/** Hex SHA-256 with Web Crypto: present on Node 20+, Deno, Bun and workerd, so no Node import. */
export async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
