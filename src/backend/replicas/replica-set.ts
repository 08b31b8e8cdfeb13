/**
 * A primary and its read replicas, seen from above as one backend. As a
 * `Backend` it is the primary: `execute`, `batch` and `transactions` go
 * there, so code that knows nothing of replicas stays correct. Reads reach a
 * replica only through `read()`, which the routing session
 * (transaction/routing.ts) calls when the request scope allows it: routing
 * needs the ambient scope, which the backend layer does not see.
 */
import type { CompiledQuery } from "../../query/ast.ts";
import type { Dialect } from "../../dialect/dialect.ts";
import { ConfigurationError, ConnectionError, DatabaseError } from "../../errors.ts";
import type { Backend, QueryResult, TransactionManager } from "../backend.ts";
import type { ReplicaNode, ReplicaRoutingOptions } from "./config.ts";

const DEFAULT_RETRY_DOWN_AFTER = 5_000;

/** Which node answered, for query events and tests. */
export type NodeRole = "primary" | "replica";

export class ReplicaSet implements Backend {
  readonly dialect: Dialect;
  readonly transactions: TransactionManager;
  readonly batch?: Backend["batch"];
  readonly nodes: readonly ReplicaNode[];
  readonly #retryDownAfter: number;
  /** Per replica: until when (performance.now()) it is skipped. */
  readonly #downUntil: number[];
  #next = 0;

  constructor(
    readonly primary: Backend,
    readonly replicas: readonly Backend[],
    readonly options: ReplicaRoutingOptions = {},
  ) {
    if (replicas.length === 0) throw new ConfigurationError("a replicated configuration needs at least one replica (replicas: [...])");
    for (const r of replicas) {
      if (r.constructor !== primary.constructor) throw new ConfigurationError("a primary and its replicas must use the same backend class");
    }
    if (options.stickyWindow !== undefined && !(options.stickyWindow >= 0)) {
      throw new ConfigurationError(`stickyWindow must be a number of milliseconds >= 0, got ${String(options.stickyWindow)}`);
    }
    this.dialect = primary.dialect;
    this.transactions = primary.transactions;
    if (primary.batch) this.batch = (queries) => primary.batch!(queries);
    this.nodes = replicas.map((r, index) => ({ index, label: `replica ${index + 1}${where(r)}` }));
    this.#retryDownAfter = options.retryDownAfter ?? DEFAULT_RETRY_DOWN_AFTER;
    this.#downUntil = replicas.map(() => 0);
  }

  /** The primary's label for messages. */
  get primaryLabel(): string {
    return `primary${where(this.primary)}`;
  }

  async connect(): Promise<void> {
    await this.primary.connect();
  }

  async disconnect(): Promise<void> {
    await Promise.all([this.primary, ...this.replicas].map((b) => b.disconnect()));
  }

  async ping(): Promise<void> {
    await this.primary.ping();
  }

  /** On the primary: a plain `execute` never reads a possibly stale replica. */
  execute(query: CompiledQuery): Promise<QueryResult> {
    return this.primary.execute(query).catch((error: unknown) => {
      throw labelled(error, this.primaryLabel);
    });
  }

  /**
   * Runs a read on a replica: the picked one first, then the others; a
   * replica that cannot be reached is skipped for `retryDownAfter` ms. When
   * none answers, the primary serves the read. `onNode` is told which node
   * answered (or failed last).
   */
  async read(query: CompiledQuery, onNode?: (role: NodeRole, label: string) => void): Promise<QueryResult> {
    for (const node of this.#order(query)) {
      try {
        const result = await this.replicas[node.index]!.execute(query);
        onNode?.("replica", node.label);
        return result;
      } catch (error) {
        if (!(error instanceof ConnectionError)) {
          onNode?.("replica", node.label);
          throw labelled(error, node.label);
        }
        // Down (stopped, unreachable, shutting down): skip it for a while, try the next one.
        this.#downUntil[node.index] = performance.now() + this.#retryDownAfter;
      }
    }
    onNode?.("primary", this.primaryLabel);
    return this.execute(query);
  }

  /** The replicas to try, in order: the picked (or next round-robin) one first, those known to be down left out. */
  #order(query: CompiledQuery): ReplicaNode[] {
    const now = performance.now();
    const up = this.nodes.filter((n) => this.#downUntil[n.index]! <= now);
    if (up.length === 0) return [];
    let first: ReplicaNode;
    if (this.options.pick) {
      first = this.options.pick(up, query);
      if (!up.includes(first)) throw new ConfigurationError("pick() must return one of the candidates it was given");
    } else {
      first = up[this.#next++ % up.length]!;
      if (this.#next >= Number.MAX_SAFE_INTEGER) this.#next = 0;
    }
    return [first, ...up.filter((n) => n !== first)];
  }
}

/** ` (host:port/db)` where the backend describes its server (never credentials), else nothing. */
function where(backend: Backend): string {
  const server = (backend as { server?: unknown }).server;
  return typeof server === "string" ? ` (${server})` : "";
}

/** Names the node in a database error's message, once. */
function labelled(error: unknown, label: string): unknown {
  if (error instanceof DatabaseError && !error.message.startsWith(`${label}: `)) {
    error.message = `${label}: ${error.message}`;
  }
  return error;
}
