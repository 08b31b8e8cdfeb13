/** Shared models and database helpers for the transaction tests (real libSQL databases only). */
import { ActiveRecord, column, table } from "../../src/index.ts";
import type { LibsqlConfig } from "../../src/backend/libsql/index.ts";
import { openLibsql } from "../support/libsql.ts";

@table("accounts")
export class Account extends ActiveRecord {
  @column.id() id!: number;
  @column.text() owner!: string;
  @column.integer({ default: 0 }) balance!: number;
}

/** A fresh database: `:memory:` or a file in a temporary directory removed by `cleanup`. */
export async function freshBackend(kind: "memory" | "file", config: Partial<LibsqlConfig> = {}) {
  const db = openLibsql(kind, config);
  return { backend: db.backend, url: db.url, cleanup: () => db.close() };
}

/** Lets other pending async work run, so that interleaving would happen if anything allowed it. */
export async function yieldTurns(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

/** A promise with its resolve function, to order steps across concurrent scopes without timers. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}
