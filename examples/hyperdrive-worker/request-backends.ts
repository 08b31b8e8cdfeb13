/**
 * A backend of its own for each request, behind the one backend the models
 * are bound to.
 *
 * Why: workerd refuses to let one request use a socket another request
 * opened ("Cannot perform I/O on behalf of a different request"). A
 * PostgresBackend kept across requests (its pool) breaks on the second
 * request, and a new PostgresBackend bound with `ActiveRecord.configure(...)`
 * on each request is shared by every request running at the same time in
 * the isolate, so overlapping requests use each other's sockets and fail
 * (tests/runtimes/hyperdrive.test.ts shows the first; its overlapping-requests
 * case fails when worker.ts is written the second way). Here the models are bound
 * once to `RequestBackends`, which hands each statement and transaction to
 * the backend of the request it runs in (an AsyncLocalStorage of its own,
 * which `nodejs_compat` provides), made by `serve` and closed after the
 * response with `ctx.waitUntil`.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { ConfigurationError, type Backend, type CompiledQuery, type Dialect, type QueryResult, type TransactionOptions } from "edgerecord";

/** What a Worker's fetch handler gets as its third argument (the part used here). */
export interface WaitUntil {
  waitUntil(promise: Promise<unknown>): void;
}

export class RequestBackends<Env> implements Backend {
  readonly dialect: Dialect;
  readonly transactions = { begin: (options?: TransactionOptions) => this.current().transactions.begin(options) };
  readonly #current = new AsyncLocalStorage<Backend>();

  /**
   * `make` builds a request's backend from its `env` (where the Hyperdrive
   * binding is). `dialect` compiles every request's statements: a backend
   * made from `make` but never connected gives it (the pool opens lazily).
   */
  constructor(
    private readonly make: (env: Env) => Backend,
    dialect: Dialect,
  ) {
    this.dialect = dialect;
  }

  /** Runs `work` with a backend of this request's own; closes it once the response is sent. */
  async serve<T>(env: Env, ctx: WaitUntil, work: () => Promise<T>): Promise<T> {
    const backend = this.make(env);
    try {
      return await this.#current.run(backend, work);
    } finally {
      ctx.waitUntil(backend.disconnect());
    }
  }

  execute(query: CompiledQuery): Promise<QueryResult> {
    return this.current().execute(query);
  }

  connect(): Promise<void> {
    return this.current().connect();
  }

  /** Closes this request's backend early (`serve` closes it anyway). */
  disconnect(): Promise<void> {
    return this.#current.getStore()?.disconnect() ?? Promise.resolve();
  }

  ping(): Promise<void> {
    return this.current().ping();
  }

  private current(): Backend {
    const backend = this.#current.getStore();
    if (!backend) throw new ConfigurationError("no backend for this request: run the request's work inside RequestBackends.serve(env, ctx, work)");
    return backend;
  }
}
