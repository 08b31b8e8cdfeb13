/** What a piece of work sent to the database: the SQL of every statement, from the query events. */
import { ActiveRecord } from "../../src/index.ts";

export async function counted<T>(work: () => Promise<T>): Promise<{ result: T; sql: string[] }> {
  const sql: string[] = [];
  const off = ActiveRecord.on("query", (e) => void sql.push(e.sql));
  try {
    return { result: await work(), sql };
  } finally {
    off();
  }
}
