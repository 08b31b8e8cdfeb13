/**
 * `edgerecord/d1`: Cloudflare D1 through its Worker binding.
 *
 *   Model.configure({ binding: env.DB }, D1Backend)   // or new D1Backend({ binding: env.DB })
 *
 * Each statement autocommits; `batch` is atomic; a transaction scope is a
 * batch sent at commit (see ./transaction.ts for exactly what holds).
 * No driver to load and no Node built-in: the binding is the connection.
 */
import type { CompiledQuery } from "../../query/ast.ts";
import { ConfigurationError, TransactionError } from "../../errors.ts";
import type { Backend, QueryResult, Row, Transaction, TransactionManager, TransactionOptions } from "../backend.ts";
import type { D1Config, D1Database, D1DatabaseSession, D1PreparedStatement, D1Result, D1SessionStart, D1Statements } from "./binding.ts";
import { currentScope, loadScopeStorage, runWithValue, SCOPE_FLAGS_HINT } from "../../transaction/scope.ts";
import { D1Dialect } from "./dialect.ts";
import { statementKind } from "../statement-kind.ts";
import { mapD1Error } from "./errors.ts";
import { BatchTransaction } from "./transaction.ts";
import { invalidValue } from "../../dialect/value-mapper.ts";

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A backend on a Cloudflare D1 binding; transactions are atomic batches of writes. */
export class D1Backend implements Backend {
  /** SQLite's dialect with D1's capability flags. */
  readonly dialect: D1Dialect = new D1Dialect();
  /** Begins batch transactions (writes queued, sent as one batch at commit). */
  readonly transactions: TransactionManager = { begin: (options) => this.begin(options) };
  private readonly db: D1Database;
  /** Where sessions start by default (`config.session`); undefined: statements outside `withSession` run on the binding. */
  private readonly start: D1SessionStart | undefined;
  /** The key of this backend's D1 session in the async context's scope store. */
  private readonly sessionKey: object = {};

  /** Makes the backend on a D1 binding (`{ binding: env.DB }`, optionally `session: "first-unconstrained"`). */
  constructor(config: D1Config) {
    if (!config?.binding || typeof config.binding.prepare !== "function" || typeof config.binding.batch !== "function") {
      throw new ConfigurationError("D1Backend needs the D1 binding: new D1Backend({ binding: env.DB }) (a [[d1_databases]] binding in wrangler config)");
    }
    this.db = config.binding;
    this.start = config.session;
    if (this.start !== undefined) this.sessionsSupported();
  }

  /**
   * Runs `work` with every statement of this backend in the current async
   * context (reads, writes, transaction batches) in one D1 session, started
   * at `start` (a bookmark from an earlier request, "first-primary" or
   * "first-unconstrained"; when null or undefined, `config.session`, else
   * "first-unconstrained"). Inside, `bookmark()` gives the session's latest
   * bookmark, to hand to the next request. A nested call joins the outer session.
   */
  async withSession<T>(start: D1SessionStart | null | undefined, work: () => Promise<T>): Promise<T> {
    this.sessionsSupported();
    if (!(await loadScopeStorage())) throw new ConfigurationError(`cannot start a D1 session scope: ${SCOPE_FLAGS_HINT}`);
    if (currentScope(this.sessionKey)) return work();
    return runWithValue(this.sessionKey, this.db.withSession!(start ?? this.start ?? "first-unconstrained"), work);
  }

  /**
   * The bookmark of the D1 session this async context is in (`withSession`):
   * null before its first statement when it started without a bookmark;
   * undefined outside a session. `ActiveRecord.bookmark()` answers with
   * this for the backend bound to the model (`Backend.bookmark`).
   */
  bookmark(): string | null | undefined {
    return currentScope<object, D1DatabaseSession>(this.sessionKey)?.getBookmark();
  }

  /** Throws a ConfigurationError when the binding has no `withSession` (an older runtime). */
  private sessionsSupported(): void {
    if (typeof this.db.withSession !== "function") {
      throw new ConfigurationError(
        "this D1 binding has no withSession(): D1 sessions (read replication) need a runtime that implements the Sessions API " +
          "(workerd / wrangler / Miniflare from 2025 on)",
      );
    }
  }

  /** Where a statement runs now: this context's session, a new session per statement (`config.session`), or the binding. */
  private target(): D1Statements {
    const session = currentScope<object, D1DatabaseSession>(this.sessionKey);
    if (session) return session;
    return this.start === undefined ? this.db : this.db.withSession!(this.start);
  }

  /** The binding is already connected; nothing to open or close. */
  async connect(): Promise<void> {}

  async disconnect(): Promise<void> {}

  async ping(): Promise<void> {
    await this.execute({ sql: "SELECT 1", params: [] });
  }

  /** Runs one statement on D1 (autocommit). */
  async execute(query: CompiledQuery): Promise<QueryResult> {
    const started = performance.now();
    // Binding checks values before anything is sent: its ValidationError is not a database error.
    const statement = this.statement(this.target(), query);
    try {
      const result = await statement.all();
      return toQueryResult(query, result, performance.now() - started);
    } catch (error) {
      throw mapD1Error(error, query);
    }
  }

  /** One round trip; D1 applies every statement or none. */
  async batch(queries: readonly CompiledQuery[]): Promise<QueryResult[]> {
    if (queries.length === 0) return [];
    const started = performance.now();
    let results: D1Result[];
    const target = this.target();
    const statements = queries.map((q) => this.statement(target, q));
    try {
      results = await target.batch(statements);
    } catch (error) {
      // D1 does not say which statement failed; the message names the constraint or syntax at fault.
      throw mapD1Error(error, { sql: queries.map((q) => q.sql).join(";\n"), params: queries.flatMap((q) => q.params) });
    }
    const duration = performance.now() - started;
    return results.map((r, i) => toQueryResult(queries[i]!, r, duration / results.length));
  }

  /** Prepares a compiled statement with its parameters bound. */
  private statement(on: D1Statements, query: CompiledQuery): D1PreparedStatement {
    const statement = on.prepare(query.sql);
    return query.params.length ? statement.bind(...query.params.map(toD1Value)) : statement;
  }

  /** Begins a batch transaction (isolation, read-only and timeouts are refused). */
  private async begin(options: TransactionOptions = {}): Promise<Transaction> {
    if (options.isolation || options.readOnly || options.timeout !== undefined) {
      const asked = options.isolation ?? (options.readOnly ? "readOnly" : "timeout");
      throw new TransactionError(
        `D1 has no interactive transactions, so a transaction takes no isolation level, readOnly or timeout (asked: ${asked}): ` +
          "it is one batch that D1 applies atomically and serially",
      );
    }
    return new BatchTransaction((queries) => this.batch(queries));
  }
}

/** D1 binds null, numbers, strings and ArrayBuffers; bigints only where a double holds them exactly. */
function toD1Value(value: unknown): unknown {
  if (typeof value === "bigint") {
    if (value > MAX_SAFE || value < -MAX_SAFE) {
      throw invalidValue(`D1 stores integers as JavaScript numbers: ${value} would lose precision; store it as text (a decimal column)`);
    }
    return Number(value);
  }
  if (value instanceof Uint8Array) return value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength);
  return value;
}

function toQueryResult(query: CompiledQuery, result: D1Result, duration: number): QueryResult {
  const rows = (result.results ?? []) as Row[];
  // D1 hands BLOBs back as arrays of byte values; no other SQLite value arrives as an array.
  for (const row of rows) {
    for (const key in row) if (Array.isArray(row[key])) row[key] = Uint8Array.from(row[key] as number[]);
  }
  // D1's meta reports changes and last_row_id whatever the statement was: only a write changed rows, only an insert made an id.
  const kind = statementKind(query);
  const changes = kind === "read" ? 0 : (result.meta?.changes ?? 0);
  const lastInsertId = kind === "insert" && changes > 0 ? result.meta?.last_row_id : undefined;
  return { rows, affectedRows: changes, ...(lastInsertId !== undefined ? { lastInsertId } : {}), duration };
}
