/**
 * How a primary with read replicas is configured: the same connection config
 * a single backend takes, once for the primary and once per replica, plus
 * the routing options. `Model.configure({ primary, replicas }, PostgresBackend)`
 * recognises this shape.
 */
import type { CompiledQuery } from "../../query/ast.ts";

/** A replica as `pick` sees it: its position in `replicas` and a label for messages. */
export interface ReplicaNode {
  /** Its position in the `replicas` list, from 0. */
  readonly index: number;
  /** `replica 1 (host:port/db)`: never a user name or password. */
  readonly label: string;
}

/** How reads are spread over replicas and when they stay on the primary. */
export interface ReplicaRoutingOptions {
  /**
   * Chooses the replica a read goes to, among those not known to be down
   * (never empty when called). Default: round-robin.
   */
  readonly pick?: (candidates: readonly ReplicaNode[], query: CompiledQuery) => ReplicaNode;
  /**
   * After a write in a request scope, how long (ms) that scope's reads stay on
   * the primary. Default: for the rest of the scope (as Rails does).
   */
  readonly stickyWindow?: number;
  /** How long (ms) a replica that failed to answer is skipped before it is tried again. Default 5000. */
  readonly retryDownAfter?: number;
  /**
   * SQL the application wrote (sql``, `Model.raw`) carries no statement kind,
   * so it runs on the primary. `"replica"` sends such text to a replica when
   * it starts with SELECT or WITH (and takes no row lock); a WITH that writes
   * must then be run under `onPrimary`.
   */
  readonly rawReads?: "primary" | "replica";
}

/** `configure({ primary, replicas, ...routing }, Backend)`: one primary and its read replicas, each a config for the backend class. */
export interface ReplicatedConfig<C> extends ReplicaRoutingOptions {
  /** Where writes, transactions and everything after a write in a request scope go. */
  readonly primary: C;
  /** Where plain reads go. */
  readonly replicas: readonly C[];
}

/** Whether a configure() argument is a primary-with-replicas config rather than a single backend's. */
export function isReplicatedConfig(value: unknown): value is ReplicatedConfig<unknown> {
  return typeof value === "object" && value !== null && "primary" in value && Array.isArray((value as { replicas?: unknown }).replicas);
}
