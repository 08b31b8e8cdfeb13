import type { Dialect } from "../dialect/dialect.ts";
import { TransactionError } from "../errors.ts";
import type { TransactionOptions } from "./backend.ts";

/**
 * Refuses options the database would ignore: a weaker isolation or read-only it
 * cannot enforce, or a statement `timeout` on a backend that cannot cancel a
 * statement (only a backend that can passes `{ timeouts: true }`).
 */
export function checkTransactionOptions(dialect: Dialect, options: TransactionOptions = {}, backend: { timeouts?: boolean } = {}): void {
  const { isolationLevels, readOnlyTransactions } = dialect.capabilities;
  if (options.isolation && !isolationLevels.includes(options.isolation)) {
    throw new TransactionError(
      `${dialect.name} cannot run a transaction at isolation level "${options.isolation}" (it offers: ${isolationLevels.join(", ")})`,
    );
  }
  if (options.readOnly && !readOnlyTransactions) {
    throw new TransactionError(`${dialect.name} cannot enforce read-only transactions`);
  }
  if (options.timeout !== undefined) {
    if (!backend.timeouts) throw new TransactionError(`this ${dialect.name} backend cannot time out statements: it has no transaction timeout`);
    if (!Number.isInteger(options.timeout) || options.timeout <= 0) {
      throw new TransactionError(`a transaction timeout is a whole number of milliseconds above 0, got ${String(options.timeout)}`);
    }
  }
}
