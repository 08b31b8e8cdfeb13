/**
 * MigrationError lives here rather than in src/errors.ts so that an
 * application that never migrates does not bundle it; its code ("MIGRATION")
 * is part of the shared `ErrorCode` type.
 */
import { EdgeRecordError } from "../errors.ts";

/**
 * A migration could not be defined, ordered or applied: an applied migration
 * changed or vanished, an out-of-order one under `strictOrder`, a lock not
 * obtained, an irreversible `change` rolled back. `migration` names the one
 * concerned; a database error while applying it is the `cause`.
 */
export class MigrationError extends EdgeRecordError {
  /** The name of the migration concerned, when there is one. */
  readonly migration?: string;
  /** `cause` is the underlying error (a database error while applying); `migration` the migration's name. */
  constructor(message: string, options?: { cause?: unknown; migration?: string }) {
    super("MIGRATION", message, options);
    this.migration = options?.migration;
  }
}
// Survives minification, as the core error names do (see src/errors.ts).
Object.defineProperty(MigrationError.prototype, "name", { value: "MigrationError", writable: true, configurable: true });

/**
 * A `--rename` hint (`generateMigration`'s `renames`) is malformed or names
 * nothing the difference renames: a table or column that is not dropped from
 * the stored snapshot, or not added by the models. A mistake in the request,
 * not in the schema: the CLI reports it as a usage error (exit code 2).
 */
export class RenameHintError extends MigrationError {
  /** The hint as written. */
  readonly hint: string;
  /** `hint` is the hint as the user wrote it. */
  constructor(message: string, hint: string) {
    super(message);
    this.hint = hint;
  }
}
Object.defineProperty(RenameHintError.prototype, "name", { value: "RenameHintError", writable: true, configurable: true });
