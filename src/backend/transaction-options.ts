import type { Dialect } from "../dialect/dialect.ts";
import { TransactionError } from "../errors.ts";
import type { TransactionOptions } from "./backend.ts";

/** Refuses options the database would ignore: a weaker isolation or read-only it cannot enforce. */
export function checkTransactionOptions(dialect: Dialect, options: TransactionOptions = {}): void {
  const { isolationLevels, readOnlyTransactions } = dialect.capabilities;
  if (options.isolation && !isolationLevels.includes(options.isolation)) {
    throw new TransactionError(
      `${dialect.name} cannot run a transaction at isolation level "${options.isolation}" (it offers: ${isolationLevels.join(", ")})`,
    );
  }
  if (options.readOnly && !readOnlyTransactions) {
    throw new TransactionError(`${dialect.name} cannot enforce read-only transactions`);
  }
}
