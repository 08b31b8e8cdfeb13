/**
 * Named prepared statements behind a transaction-mode pooler (PgBouncer
 * before 1.21, or with max_prepared_statements = 0): postgres.js prepares a
 * statement on one server connection and later binds it on whichever one the
 * pooler hands out, which has never seen it. The server's answer ("prepared
 * statement "x" does not exist", or "already exists" when two clients' names
 * meet on one server connection) says nothing about the fix, so it becomes a
 * ConfigurationError that does.
 */
import { ConfigurationError } from "../../errors.ts";

/** invalid_sql_statement_name, duplicate_prepared_statement */
const CODES = new Set(["26000", "42P05"]);
const MESSAGE = /prepared statement .* (does not exist|already exists)/;

export function poolerHint(error: unknown, server: string | undefined, prepare: boolean): ConfigurationError | undefined {
  if (!prepare) return undefined;
  const e = error as { code?: unknown; message?: unknown } | null;
  if (!e || !CODES.has(String(e.code)) || !MESSAGE.test(String(e.message))) return undefined;
  return new ConfigurationError(
    `PostgreSQL at ${server ?? "this server"} lost a prepared statement between server connections (${String(e.message)}): ` +
      "this is what a transaction-mode pooler (PgBouncer, Supabase/Neon poolers, RDS Proxy) does to named prepared statements. " +
      "Configure the backend with prepare: false (see docs/scaling.md)",
    { cause: error },
  );
}
