import type { TableExistsQuery } from "../../query/ast.ts";
import { SqlCompiler, type Emitter } from "../compiler.ts";
import type { Dialect, DialectCapabilities, IsolationLevel } from "../dialect.ts";
import { createTypeMapper } from "../type-mapper.ts";
import { TransactionError } from "../../errors.ts";
import { sqliteValues } from "./values.ts";

export const sqliteCapabilities: DialectCapabilities = {
  returning: true,
  savepoints: true,
  interactiveTransactions: true,
  // SQLite transactions are always serializable; weaker levels are not on offer.
  isolationLevels: ["serializable"],
  readOnlyTransactions: false,
  upsert: true,
  maxParameters: 32766,
  transactionalDdl: true,
};

const sqliteTypes = createTypeMapper({
  values: sqliteValues,
  types: {
    integer: "INTEGER",
    bigint: "INTEGER",
    real: "REAL",
    decimal: "TEXT",
    text: "TEXT",
    varchar: (c) => (c.length ? `VARCHAR(${c.length})` : "VARCHAR"),
    uuid: "TEXT",
    boolean: "INTEGER",
    date: "TEXT",
    datetime: "TEXT",
    json: "TEXT",
    blob: "BLOB",
  },
  autoIncrementKey: () => "INTEGER PRIMARY KEY AUTOINCREMENT",
  now: (type) => (type === "date" ? "(date('now'))" : "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"),
});

/** SQLite and libSQL. */
export class SqliteDialect extends SqlCompiler implements Dialect {
  // Widened to string so that SQLite-family dialects (D1) can name themselves.
  readonly name: string = "sqlite";
  readonly capabilities = sqliteCapabilities;
  readonly types = sqliteTypes;
  readonly values = sqliteValues;

  placeholder(): string {
    return "?";
  }

  protected override noLimit(): string {
    return "-1";
  }

  protected tableExists(query: TableExistsQuery, out: Emitter): void {
    out.text("SELECT 1 AS present FROM sqlite_master WHERE type = 'table' AND name = ");
    out.param(query.table, "text");
  }

  override beginTransaction(options: { isolation?: IsolationLevel; readOnly?: boolean }): string {
    if (options.readOnly) {
      throw new TransactionError("SQLite cannot enforce read-only transactions (capabilities.readOnlyTransactions is false)");
    }
    // IMMEDIATE takes the write lock up front, so a transaction never fails half-way on SQLITE_BUSY upgrading it.
    return "BEGIN IMMEDIATE";
  }
}
