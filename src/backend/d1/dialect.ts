/**
 * D1 speaks SQLite, minus what needs a session: it has no BEGIN/SAVEPOINT
 * (each statement autocommits; `batch` is the only atomic unit), and a
 * statement may bind at most 100 parameters. The flags say so, so the model
 * layer refuses nesting and splits bulk inserts without asking for a name.
 */
import { SqliteDialect, sqliteCapabilities } from "../../dialect/sqlite/dialect.ts";
import type { DialectCapabilities } from "../../dialect/dialect.ts";

/** What D1 can do: no interactive transactions, no savepoints, 100 parameters per statement, no int64. */
export const d1Capabilities: DialectCapabilities = {
  ...sqliteCapabilities,
  savepoints: false,
  // A transaction is one batch sent at commit: nothing inside it can read.
  interactiveTransactions: false,
  // A transaction is one batch the database applies serially; there is no level to choose.
  isolationLevels: [],
  readOnlyTransactions: false,
  // The binding carries integers as JavaScript numbers both ways; the backend refuses a bigint past 2^53 rather than round it.
  int64: false,
  maxParameters: 100,
};

/** SQLite's dialect with D1's capability flags. */
export class D1Dialect extends SqliteDialect {
  /** "d1", for messages and logs. */
  override readonly name: string = "d1";
  /** D1's capability flags (`d1Capabilities`). */
  override readonly capabilities: DialectCapabilities = d1Capabilities;
}
