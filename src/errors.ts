/**
 * EdgeRecord's error classes. Backends wrap every driver error exactly once, at
 * their boundary, into one of these, keeping the driver's error as `cause`.
 */

export type ErrorCode =
  | "CONFIGURATION"
  | "UNKNOWN_COLUMN"
  | "ARGUMENT"
  | "VALIDATION"
  | "NOT_FOUND"
  | "STALE"
  | "CONNECTION"
  | "QUERY"
  | "INTEGRITY"
  | "TRANSACTION"
  | "SERIALIZATION"
  | "QUERY_TIMEOUT"
  /** MigrationError, in edgerecord/migrate (kept out of this file so the core bundle does not carry it). */
  | "MIGRATION";

/** The root of every error EdgeRecord throws on purpose. */
export class EdgeRecordError extends Error {
  /** Which kind of failure this is, stable across versions (for code; the message is for people). */
  readonly code: ErrorCode;
  /** Makes an error with its code, message and the error that caused it. */
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    // Our classes carry their name on the prototype (see the end of this file); a user's subclass has its own class name.
    const prototype = new.target.prototype as { name?: string };
    this.name = Object.hasOwn(prototype, "name") ? prototype.name! : new.target.name;
    this.code = code;
  }
}

/** A model or backend is used in a way its setup does not allow (not configured, bad metadata...). */
export class ConfigurationError extends EdgeRecordError {
  /** Makes the error with what is misconfigured and how to fix it. */
  constructor(message: string, options?: { cause?: unknown }) {
    super("CONFIGURATION", message, options);
  }
}

/** A query names a column the model does not have. Raised before any SQL is built. */
export class UnknownColumnError extends EdgeRecordError {
  /** Makes the error naming the model, the unknown column and the known ones. */
  constructor(
    readonly model: string,
    readonly column: string,
    readonly known: readonly string[],
  ) {
    super(
      "UNKNOWN_COLUMN",
      `${model} has no column "${column}" (known: ${known.join(", ")})`,
    );
  }
}

/**
 * A method got an argument it cannot take (`limit(-5)`, `orderBy(x, "sideways")`,
 * `find(null)`, an empty `deleteWhere`...). Raised before any SQL is built.
 */
export class ArgumentError extends EdgeRecordError {
  /** Makes the error with what was wrong with the argument. */
  constructor(message: string, options?: { cause?: unknown }) {
    super("ARGUMENT", message, options);
  }
}

/** One failing attribute and why it failed. */
export interface ValidationIssue {
  /** The attribute (property) name, or "" for a model-wide issue. */
  readonly field: string;
  /** What is wrong with the value, for people. */
  readonly message: string;
}

/** One or more attributes failed validation; `issues` lists every failing field. */
export class ValidationError extends EdgeRecordError {
  /** Makes the error for a model and the issues found. */
  constructor(
    readonly model: string,
    readonly issues: readonly ValidationIssue[],
    options?: { cause?: unknown },
  ) {
    super(
      "VALIDATION",
      `${model} is invalid: ${issues.map((i) => (i.field ? `${i.field}: ${i.message}` : i.message)).join("; ")}`,
      options,
    );
  }
}

/** No record has the given key (`findOrFail`, `firstOrFail`, `update`). */
export class RecordNotFoundError extends EdgeRecordError {
  /** Makes the error naming the model and the key looked for. */
  constructor(
    readonly model: string,
    readonly key: unknown,
  ) {
    super("NOT_FOUND", `${model} not found: ${describeKey(key)}`);
  }
}

/** An update or delete found the row changed since it was read (optimistic locking): nothing was written. */
export class StaleRecordError extends EdgeRecordError {
  /** Makes the error naming the model, the key and the version the write expected. */
  constructor(
    readonly model: string,
    readonly key: unknown,
    readonly expectedVersion: unknown,
  ) {
    super(
      "STALE",
      `${model} ${describeKey(key)} was changed or deleted by someone else since it was read (expected version ${String(expectedVersion)}); reload it and try again`,
    );
  }
}

function describeKey(key: unknown): string {
  if (key !== null && typeof key === "object") {
    return JSON.stringify(key, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
  }
  return String(key);
}

/** The base of every error that came out of the database or its driver. */
export class DatabaseError extends EdgeRecordError {
  /** The statement that failed, when one did. */
  readonly sql?: string;
  /** Its bound parameters. Kept off the message, since they may hold user data. */
  readonly params?: readonly unknown[];
  /** Makes the error with the failing statement and its parameters, when there was one. */
  constructor(
    code: ErrorCode,
    message: string,
    options?: { cause?: unknown; sql?: string; params?: readonly unknown[] },
  ) {
    super(code, message, options);
    // Declared fields exist (as undefined) either way: plain assignment leaves the same object.
    this.sql = options?.sql;
    this.params = options?.params;
  }
}

/** The database could not be reached, or the connection was lost. Never carries a password. */
export class ConnectionError extends DatabaseError {
  /** Makes the error; the message must not hold a password. */
  constructor(message: string, options?: { cause?: unknown; sql?: string; params?: readonly unknown[] }) {
    super("CONNECTION", message, options);
  }
}

/** A statement failed for a reason other than a constraint (syntax, missing table, bad type...). */
export class QueryError extends DatabaseError {
  /** Makes the error with the failing statement and its parameters. */
  constructor(message: string, options?: { cause?: unknown; sql?: string; params?: readonly unknown[] }) {
    super("QUERY", message, options);
  }
}

/** Which constraint refused a write. A duplicate primary key is "unique" on every built-in backend. */
export type IntegrityKind = "unique" | "foreign_key" | "not_null" | "check" | "other";

/** A constraint refused the write; `kind`, `constraint` and `column` say which, where the driver tells. */
export class IntegrityError extends DatabaseError {
  /** Which kind of constraint refused the write. */
  readonly kind: IntegrityKind;
  /** The constraint's name, where the driver tells it. */
  readonly constraint?: string;
  /** The table written to, where the driver tells it. */
  readonly table?: string;
  /** The column the constraint is on, where the driver tells it. */
  readonly column?: string;
  /** Makes the error with the constraint's kind and whatever the driver said about it. */
  constructor(
    message: string,
    details: { kind: IntegrityKind; constraint?: string; table?: string; column?: string },
    options?: { cause?: unknown; sql?: string; params?: readonly unknown[] },
  ) {
    super("INTEGRITY", message, options);
    this.kind = details.kind;
    this.constraint = details.constraint;
    this.table = details.table;
    this.column = details.column;
  }
}

/** A transaction could not begin, commit or roll back, or was misused. */
export class TransactionError extends DatabaseError {
  /**
   * True when COMMIT was sent but no answer came back (the connection was lost
   * at COMMIT): the transaction may or may not have committed, and only the
   * database can tell. False for every other transaction error.
   */
  readonly commitOutcomeUnknown: boolean;
  /** Makes the error; `commitOutcomeUnknown` when a COMMIT failed without saying whether it applied. */
  constructor(message: string, options?: { cause?: unknown; sql?: string; params?: readonly unknown[]; commitOutcomeUnknown?: boolean }) {
    super("TRANSACTION", message, options);
    this.commitOutcomeUnknown = options?.commitOutcomeUnknown ?? false;
  }
}

/**
 * The database gave up on the transaction because of concurrent work
 * (serialization failure, deadlock, SQLITE_BUSY): running it again may succeed.
 */
export class SerializationError extends DatabaseError {
  /** Always true: running the transaction again may succeed. */
  readonly retryable = true;
  /** Makes the error with the statement the database gave up on. */
  constructor(message: string, options?: { cause?: unknown; sql?: string; params?: readonly unknown[] }) {
    super("SERIALIZATION", message, options);
  }
}

/**
 * A statement ran past its time limit: the server cancelled it (PostgreSQL
 * 57014, `statement_timeout`), or no answer came back in time (a silent
 * network). `serverCancelled` tells which: when false, the statement may still
 * complete on the server, so the outcome of an autocommit write is unknown.
 */
export class QueryTimeoutError extends DatabaseError {
  /** True when the server cancelled the statement, false when the client stopped waiting. */
  readonly serverCancelled: boolean;
  /** Makes the error; `serverCancelled` says who stopped the statement. */
  constructor(message: string, options?: { cause?: unknown; sql?: string; params?: readonly unknown[]; serverCancelled?: boolean }) {
    super("QUERY_TIMEOUT", message, options);
    this.serverCancelled = options?.serverCancelled ?? true;
  }
}

/**
 * Minifying bundlers (how Workers ship) rename classes, so `new.target.name`
 * would be "m" in production logs. Property names in this literal survive
 * minification.
 */
const NAMES = { EdgeRecordError, ConfigurationError, UnknownColumnError, ArgumentError, ValidationError, RecordNotFoundError, StaleRecordError, DatabaseError, ConnectionError, QueryError, IntegrityError, TransactionError, SerializationError, QueryTimeoutError };
for (const [name, type] of Object.entries(NAMES)) Object.defineProperty(type.prototype, "name", { value: name, writable: true, configurable: true });
