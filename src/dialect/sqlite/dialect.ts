import type { CompiledQuery, TableExistsQuery } from "../../query/ast.ts";
import { quoteDoubled, SqlCompiler, type Emitter, type InCondition } from "../compiler.ts";
import type { Dialect, DialectCapabilities, IsolationLevel, TypeMapper, ValueMapper } from "../dialect.ts";
import { createTypeMapper } from "../type-mapper.ts";
import { TransactionError } from "../../errors.ts";
import { jsonList, listElement, SQLITE_LIST_TYPES } from "./lists.ts";
import { sqliteValues } from "./values.ts";

export const sqliteCapabilities: DialectCapabilities = {
  returning: true,
  savepoints: true,
  interactiveTransactions: true,
  // SQLite transactions are always serializable; weaker levels are not on offer.
  isolationLevels: ["serializable"],
  readOnlyTransactions: false,
  int64: true,
  upsert: true,
  maxParameters: 32766,
  listParameterTypes: SQLITE_LIST_TYPES,
  transactionalDdl: true,
};

const sqliteTypes: TypeMapper = createTypeMapper({
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
  quote: quoteDoubled,
  now: (type) => (type === "date" ? "(date('now'))" : "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"),
});

/** SQLite and libSQL. */
export class SqliteDialect extends SqlCompiler implements Dialect {
  // Widened to string so that SQLite-family dialects (D1) can name themselves.
  readonly name: string = "sqlite";
  /** SQLite's capability flags. */
  readonly capabilities: DialectCapabilities = sqliteCapabilities;
  /** SQLite's DDL types. */
  readonly types: TypeMapper = sqliteTypes;
  /** SQLite's value conversions. */
  readonly values: ValueMapper = sqliteValues;

  /** `?`. */
  placeholder(): string {
    return "?";
  }

  /** `column IN (SELECT value FROM json_each(?))`: one parameter for the whole list (see ./lists.ts). */
  protected override inList(c: InCondition, out: Emitter): void {
    if (!c.type || !this.capabilities.listParameterTypes?.includes(c.type)) return super.inList(c, out);
    const list = out.bindList(c.values, c.type, c.column, jsonList);
    out.text(`${this.columnRef(c.table, c.column, out)} ${c.negate ? "NOT IN" : "IN"} (SELECT ${listElement(c.type)} FROM json_each(${list}))`);
  }

  /** `-1`: SQLite's LIMIT for no limit. */
  protected override noLimit(): string {
    return "-1";
  }

  /** Looks the table up in `sqlite_master`. */
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

  listTables(): CompiledQuery {
    return { sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name", params: [] };
  }

  async truncateTables(tables: readonly string[], run: (query: CompiledQuery) => Promise<{ rows: readonly Record<string, unknown>[] }>): Promise<void> {
    if (tables.length === 0) return;
    // SQLite has no TRUNCATE. Deferring foreign keys lets parents and children be emptied in any
    // order; the pragma lasts until the enclosing transaction ends (it cannot be turned off inside one).
    await run({ sql: "PRAGMA defer_foreign_keys = ON", params: [] });
    for (const table of tables) await run({ sql: `DELETE FROM ${this.quoteIdentifier(table)}`, params: [] });
    // AUTOINCREMENT counters live in sqlite_sequence, which exists only once such a table does.
    const { rows } = await run({ sql: "SELECT 1 AS present FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'", params: [] });
    if (rows.length === 0) return;
    await run({ sql: `DELETE FROM sqlite_sequence WHERE name IN (${tables.map(() => "?").join(", ")})`, params: [...tables] });
  }
}
