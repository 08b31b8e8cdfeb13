/**
 * Bounded retry for work the database refused because of concurrent work:
 * serialization failures, deadlocks, SQLITE_BUSY / SQLITE_LOCKED (all mapped to
 * `SerializationError`, whose `retryable` is true).
 *
 * Risks, also in docs/transactions.md:
 * - The whole function runs again. Side effects outside the database (HTTP
 *   calls, emails, in-memory state) happen once per attempt; put them in
 *   `afterCommit` instead.
 * - Only a whole transaction can be retried. Inside an open transaction the
 *   failed statement has already poisoned it (PostgreSQL aborts it), so
 *   retrying a nested part would be wrong: `withRetry` refuses to start there.
 * - Retries add load exactly when the database is contended; keep `attempts`
 *   small and the backoff jittered so clients do not retry in lock-step.
 */
import { ArgumentError, TransactionError } from "../errors.ts";
import { currentScope, INNERMOST } from "./scope.ts";
import type { TransactionHandle } from "./handle.ts";

/** How long to wait between retries. */
export interface BackoffOptions {
  /** Delay before the first retry, in ms (default 20). */
  readonly initialMs?: number;
  /** Cap on any one delay, in ms (default 1000). */
  readonly maxMs?: number;
  /** Growth per attempt (default 2: 20, 40, 80... ms). */
  readonly factor?: number;
  /** "full" (default): a uniform random delay in [0, computed]; "none": exactly the computed delay. */
  readonly jitter?: "full" | "none";
}

/** How `withRetry` (and `transaction({ retry })`) runs work again. */
export interface RetryOptions {
  /** Total tries including the first, at least 1 (default 3). */
  readonly attempts?: number;
  /** The delays between tries. */
  readonly backoff?: BackoffOptions;
  /** Which errors to retry (default: `isRetryable`). */
  readonly retryIf?: (error: unknown) => boolean;
  /** Called before each retry (after a failed attempt, before the delay). */
  readonly onRetry?: (info: { error: unknown; attempt: number; delayMs: number }) => void | Promise<void>;
}

/**
 * True for errors worth another attempt: any error in the `cause` chain with
 * `retryable: true` (SerializationError), since a failed COMMIT arrives as a
 * TransactionError whose cause is the serialization failure.
 */
export function isRetryable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current && typeof current === "object"; depth++) {
    if ((current as { retryable?: unknown }).retryable === true) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** The delay before retry number `retry` (1-based), before jitter. */
export function backoffDelay(retry: number, options: BackoffOptions = {}): number {
  const initial = options.initialMs ?? 20;
  const max = options.maxMs ?? 1000;
  const factor = options.factor ?? 2;
  return Math.min(max, initial * factor ** (retry - 1));
}

/**
 * Runs `work` (passed the 1-based attempt number) until it succeeds, fails with
 * an error `retryIf` rejects, or `attempts` are used up; then rethrows the
 * last error unchanged.
 */
export async function withRetry<R>(work: (attempt: number) => Promise<R>, options: RetryOptions = {}): Promise<R> {
  const attempts = options.attempts ?? 3;
  if (!Number.isInteger(attempts) || attempts < 1) throw new ArgumentError(`retry attempts must be an integer >= 1, got ${attempts}`);
  assertNoOpenTransaction();
  const retryIf = options.retryIf ?? isRetryable;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work(attempt);
    } catch (error) {
      if (attempt >= attempts || !retryIf(error)) throw error;
      const computed = backoffDelay(attempt, options.backoff);
      const delayMs = options.backoff?.jitter === "none" ? computed : Math.random() * computed;
      await options.onRetry?.({ error, attempt, delayMs });
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

function assertNoOpenTransaction(): void {
  const innermost = currentScope<symbol, TransactionHandle>(INNERMOST);
  if (innermost && innermost.kind !== "pinned" && innermost.isOpen) {
    throw new TransactionError(
      "retry cannot run inside an open transaction: a failed attempt has already spoiled the outer transaction; retry the outermost transaction instead",
    );
  }
}
