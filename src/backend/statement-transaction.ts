import type { CompiledQuery } from "../query/ast.ts";
import type { Dialect } from "../dialect/dialect.ts";
import { TransactionError } from "../errors.ts";
import type { QueryResult, Transaction } from "./backend.ts";

/**
 * A transaction over some way of running statements on one connection. It
 * refuses work once finished, and always runs `onFinish` (which releases the
 * connection), even when COMMIT or ROLLBACK fails.
 */
export class StatementTransaction implements Transaction {
  private open = true;

  constructor(
    private readonly dialect: Dialect,
    private readonly run: (query: CompiledQuery) => Promise<QueryResult>,
    private readonly finish: (outcome: "commit" | "rollback") => Promise<void>,
  ) {}

  get isOpen(): boolean {
    return this.open;
  }

  execute(query: CompiledQuery): Promise<QueryResult> {
    if (!this.open) return Promise.reject(new TransactionError("this transaction has already ended", { sql: query.sql }));
    return this.run(query);
  }

  commit(): Promise<void> {
    return this.end("commit");
  }

  rollback(): Promise<void> {
    return this.end("rollback");
  }

  async savepoint(name: string): Promise<void> {
    await this.execute({ sql: this.dialect.savepoint(name), params: [] });
  }

  async rollbackToSavepoint(name: string): Promise<void> {
    await this.execute({ sql: this.dialect.rollbackToSavepoint(name), params: [] });
  }

  async releaseSavepoint(name: string): Promise<void> {
    await this.execute({ sql: this.dialect.releaseSavepoint(name), params: [] });
  }

  private async end(outcome: "commit" | "rollback"): Promise<void> {
    if (!this.open) throw new TransactionError(`cannot ${outcome}: this transaction has already ended`);
    this.open = false;
    await this.finish(outcome);
  }
}
