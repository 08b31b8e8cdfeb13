/**
 * `generateMigration`: the models against the stored snapshot, as a migration
 * (its operations, its TypeScript text) and the snapshot to store next. Pure:
 * no file system and no database, so the CLI, a build script or a test calls it.
 */
import { migrationSource } from "./codegen.ts";
import { diffSchemas, parseRenames } from "./diff.ts";
import type { Migration } from "./migration.ts";
import type { Operation } from "./operations.ts";
import { snapshotFromModels, type ModelClass, type SchemaSnapshot } from "./snapshot.ts";

/** What `generateMigration` takes besides the models and the stored snapshot. */
export interface GenerateOptions {
  /** Declared renames: `"users.name:full_name"` (a column), `"people:users"` (a table). Never guessed. */
  readonly renames?: readonly string[];
}

/** A generated migration: its operations both ways, its file text, and the snapshot to store with it. */
export interface GeneratedMigration {
  /** True when the models match the snapshot: nothing to write. */
  readonly empty: boolean;
  /** The operations from the stored snapshot to the models. */
  readonly up: readonly Operation[];
  /** The operations back. */
  readonly down: readonly Operation[];
  /** Data loss and changes left to write by hand; the CLI prints them on stderr. */
  readonly warnings: readonly string[];
  /** The models' schema: store it (the CLI writes edgerecord.schema.json) once the file is written. */
  readonly snapshot: SchemaSnapshot;
  /** The migration file's TypeScript text. */
  readonly source: string;
  /** The same migration as an object, for `migrate(backend, { migrations })` without writing a file. */
  readonly migration: Migration;
}

/** Compares `models` with `previous` (the stored snapshot, or EMPTY_SNAPSHOT) and returns the migration between them. */
export function generateMigration(models: readonly ModelClass[], previous: SchemaSnapshot, options: GenerateOptions = {}): GeneratedMigration {
  const snapshot = snapshotFromModels(models);
  const { up, down, warnings } = diffSchemas(previous, snapshot, parseRenames(options.renames ?? []));
  return { empty: up.length === 0, up, down, warnings, snapshot, source: migrationSource(up, down, warnings), migration: migrationFromOperations(up, down) };
}

/** A migration that records the given operations: generated code's equivalent, without a file. */
export function migrationFromOperations(up: readonly Operation[], down: readonly Operation[]): Migration {
  return {
    up: (schema) => void schema.operations.push(...up),
    down: (schema) => void schema.operations.push(...down),
  };
}
