import { LibsqlBackend } from "edgerecord/libsql";

// `npx edgerecord migrate up` reads this file: the backend (its URL from the environment) and the folder.
export default {
  backend: () => new LibsqlBackend({ url: process.env.DATABASE_URL ?? "file:app.db" }),
  migrations: "migrations",
};
