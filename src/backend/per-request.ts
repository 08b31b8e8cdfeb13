/**
 * A backend of its own for each request, behind the one backend the models
 * are bound to: what a Cloudflare Worker needs for a database reached over a
 * socket (PostgreSQL through Hyperdrive). workerd refuses to let one request
 * use a socket another request opened ("Cannot perform I/O on behalf of a
 * different request"), so a pool kept in the isolate fails from the second
 * request on, and rebinding the models to a new backend on each request
 * mixes up requests that overlap.
 *
 * `serve(env, ctx, work)` opens the request's backend, runs `work` with every
 * statement and transaction of that request on it (the same async-context
 * store as the transaction scopes), and closes it after the response with
 * `ctx.waitUntil` (or when `work` ends, without a `ctx`).
 */
import type { CompiledQuery } from "../query/ast.ts";
import type { Dialect } from "../dialect/dialect.ts";
import { ConfigurationError } from "../errors.ts";
import { currentScope, loadScopeStorage, runWithValue, SCOPE_FLAGS_HINT } from "../transaction/scope.ts";
import type { Backend, QueryResult, Transaction, TransactionManager, TransactionOptions } from "./backend.ts";

/** The part of a Worker's execution context `serve` uses: its third fetch argument. */
export interface WaitUntil {
  /** Keeps the Worker alive until `promise` settles, after the response is sent. */
  waitUntil(promise: Promise<unknown>): void;
}

/** A backend that hands each statement to the backend of the request it runs in. */
export class PerRequestBackend<Env = unknown> implements Backend {
  /** The dialect every request's statements are compiled in. */
  readonly dialect: Dialect;
  /** Where the request's backend is kept in the async-context store (the backend itself keys its transaction scope there). */
  readonly #key: symbol = Symbol("edgerecord.requestBackend");
  /** Begins transactions on this request's backend. */
  readonly transactions: TransactionManager = { begin: (options?: TransactionOptions): Promise<Transaction> => this.#current().transactions.begin(options) };

  /**
   * `open` makes a request's backend from the request's `env` (where the
   * binding is); it must not connect (backends connect on first use).
   * `dialect` compiles every request's statements: that of the backend class `open` makes.
   */
  constructor(
    private readonly open: (env: Env) => Backend,
    dialect: Dialect,
  ) {
    if (typeof open !== "function") throw new ConfigurationError("PerRequestBackend takes a function making a request's backend: new PerRequestBackend((env) => new PostgresBackend({...}), dialect)");
    this.dialect = dialect;
  }

  /** Runs `work` with a backend of this request's own; closes it after the response (`ctx.waitUntil`) or, without `ctx`, when `work` ends. */
  async serve<T>(env: Env, ctx: WaitUntil | undefined, work: () => Promise<T>): Promise<T> {
    if (!(await loadScopeStorage())) throw new ConfigurationError(SCOPE_FLAGS_HINT);
    const backend = this.open(env);
    if (backend.dialect.constructor !== this.dialect.constructor) {
      throw new ConfigurationError(`PerRequestBackend: the request's backend speaks ${backend.dialect.name}, but statements are compiled for ${this.dialect.name}`);
    }
    let closing: Promise<void> | undefined;
    try {
      return await runWithValue(this.#key, backend, work);
    } finally {
      closing = backend.disconnect().catch(() => undefined);
      if (ctx) ctx.waitUntil(closing);
      else await closing;
    }
  }

  /** Runs the statement on this request's backend. */
  execute(query: CompiledQuery): Promise<QueryResult> {
    return this.#current().execute(query);
  }

  /** Connects this request's backend. */
  connect(): Promise<void> {
    return this.#current().connect();
  }

  /** Closes this request's backend early (`serve` closes it anyway); outside a request there is nothing to close. */
  disconnect(): Promise<void> {
    return currentScope<symbol, Backend>(this.#key)?.disconnect() ?? Promise.resolve();
  }

  /** Round-trips to the server on this request's backend. */
  ping(): Promise<void> {
    return this.#current().ping();
  }

  #current(): Backend {
    const backend = currentScope<symbol, Backend>(this.#key);
    if (!backend) throw new ConfigurationError("no backend for this request: run the request's work inside serve(env, ctx, work) of its PerRequestBackend");
    return backend;
  }
}
