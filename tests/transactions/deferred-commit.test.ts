/**
 * A COMMIT refused by a DEFERRABLE INITIALLY DEFERRED foreign key on libSQL
 * (the native engine and the @libsql/client path, memory and file): the
 * caller gets a TransactionError, nothing is committed, and nothing is left
 * locked: DROP TABLE works at once. A failed prepared COMMIT used to stay
 * active in the engine and keep the tables locked (SerializationError).
 */
import { describe, expect, it } from "vitest";
import { ActiveRecord, TransactionError } from "../../src/index.ts";
import { LIBSQL_KINDS, openLibsql } from "../support/libsql.ts";
import { decoratorMode } from "../support/mode.ts";

for (const driver of ["native", "client"] as const) {
  for (const kind of LIBSQL_KINDS) {
    describe(`a COMMIT refused by a deferred foreign key on libSQL ${driver} ${kind} (${decoratorMode})`, () => {
      it("is a TransactionError, commits nothing and leaves no lock behind", async () => {
        const db = openLibsql(kind, { driver });
        ActiveRecord.configure(db.backend);
        try {
          const run = (sql: string) => db.backend.execute({ sql, params: [] });
          await run("CREATE TABLE parents (id INTEGER PRIMARY KEY)");
          await run("CREATE TABLE children (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES parents(id) DEFERRABLE INITIALLY DEFERRED)");
          const error = await ActiveRecord.transaction(async (tx) => {
            await tx.execute({ sql: "INSERT INTO children VALUES (1, 99)", params: [] });
          }).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(TransactionError);
          expect((await run("SELECT count(*) AS n FROM children")).rows[0]!.n).toBe(0);
          await run("DROP TABLE children");
          await run("DROP TABLE parents");
        } finally {
          await db.close();
        }
      });
    });
  }
}
