/**
 * `edgerecord/migrate`: the schema builder, the runner and their types. No
 * Node built-ins here: a Worker migrates with `migrate(backend, { migrations })`.
 * The file-system loader and the CLI are Node-only, in ./node/.
 */
export { SchemaBuilder, type TableBuilder, type ForeignKeyOptions, type IndexOptions } from "./builder.ts";
export type { MigrationColumnOptions, ColumnMethods } from "./columns.ts";
export { MigrationError, RenameHintError } from "./errors.ts";
export type { Operation, ColumnChange, TableDefinition, ForeignKeyDefinition, CheckDefinition, IndexDefinition } from "./operations.ts";
export { loadMigrations, type Migration, type MigrationFunction, type MigrationSource, type Migrations, type LoadedMigration } from "./migration.ts";
export { migrate, rollback, status, type MigrateOptions, type RollbackOptions, type MigrationStatus, type MigrationRun } from "./runner.ts";
export { compileMigration, ddlCompilerFor, type Direction } from "./apply.ts";
export type { DdlCompiler, SchemaReader } from "./ddl.ts";
export { LEDGER_TABLE, type LedgerRow } from "./ledger.ts";
export { LOCK_TABLE, type LockOptions } from "./lock.ts";
export { splitStatements } from "./sql-file.ts";
export { snapshotFromModels, serializeSnapshot, parseSnapshot, EMPTY_SNAPSHOT, SNAPSHOT_FILE, type SchemaSnapshot, type ModelClass } from "./snapshot.ts";
export { diffSchemas, parseRenames, type RenameHints, type SchemaDiff } from "./diff.ts";
export { migrationSource, operationCode, columnOptions } from "./codegen.ts";
export { generateMigration, migrationFromOperations, type GenerateOptions, type GeneratedMigration } from "./generate.ts";
export { detectDrift, compareSchema, normalizeType, type Drift } from "./drift.ts";
export { introspectSchema, type LiveTable, type LiveColumn, type LiveIndex, type LiveForeignKey } from "./introspect.ts";
export { loadSchema, schemaStatements, snapshotOf, type SchemaSource } from "./load-schema.ts";
