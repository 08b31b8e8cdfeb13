import { LibsqlBackend } from "../../src/backend/libsql/index.ts";
import { LIBSQL_KINDS, openLibsql } from "../support/libsql.ts";
import { migrationSuite } from "./suite.ts";

for (const kind of LIBSQL_KINDS) {
  let url = "";
  migrationSuite(`libSQL (${kind})`, {
    async open() {
      const db = openLibsql(kind);
      url = db.url;
      return db;
    },
    // A second connection to the same file: another process's migrator, as far as SQLite can tell.
    second: () => (kind === "file" ? new LibsqlBackend({ url }) : undefined),
  });
}
