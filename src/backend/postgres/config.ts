import type { Options, PostgresType } from "postgres";
import { postgresDay } from "../../dialect/postgres/datetime-text.ts";
import { ConfigurationError } from "../../errors.ts";
import { convert } from "../../dialect/value-mapper.ts";
import { timestamptzType } from "./timestamps.ts";

/**
 * How to reach a PostgreSQL server: a `url`, separate fields, or both (fields
 * win over the URL's parts). Timeouts are in milliseconds, like every other
 * EdgeRecord setting; postgres.js itself counts seconds.
 */
export interface PostgresConfig {
  /** `postgres://user:password@host:5432/database?sslmode=require` */
  readonly url?: string;
  /** The server's host name or address. */
  readonly host?: string;
  /** The server's port (default 5432). */
  readonly port?: number;
  /** The database name. */
  readonly database?: string;
  /** The user to connect as. */
  readonly username?: string;
  /** The user's password (never shown in errors). */
  readonly password?: string;
  /** TLS: `true`/`"require"`, `"prefer"`, `"verify-full"`, or Node TLS options. Default off. */
  readonly ssl?: boolean | "require" | "allow" | "prefer" | "verify-full" | object;
  /** Most connections the pool opens (default 10). */
  readonly max?: number;
  /** Closes a connection idle this long, in ms (default: never). */
  readonly idleTimeout?: number;
  /** Gives up opening a connection after this long, in ms (default 30000). */
  readonly connectTimeout?: number;
  /**
   * Named prepared statements, reused per connection (default true). Set false
   * behind a transaction-mode pooler such as PgBouncer, where a later statement
   * may land on a server connection that never saw the PREPARE.
   */
  readonly prepare?: boolean;
  /**
   * Whether postgres.js asks the server for array type OIDs when it connects
   * (default true). False saves that round trip per connection, as Cloudflare
   * Hyperdrive's guide advises; EdgeRecord binds its own list parameters.
   */
  readonly fetchTypes?: boolean;
  /**
   * Most distinct statements (by SQL text) prepared by name on each
   * connection (default 256); statements past that run unnamed, parsed each
   * time. postgres.js never frees a named statement while its connection
   * lives, so without a bound every new statement text (raw SQL built from
   * input, say) would hold server memory until the connection closes.
   */
  readonly statementCacheSize?: number;
  /** Server parameters sent at connect time, e.g. `{ search_path: "app", statement_timeout: 5000 }`. */
  readonly connection?: Readonly<Record<string, string | number | boolean>>;
}

/**
 * Timestamps (timestamptz) are read by EdgeRecord's own parser: see timestamps.ts.
 *
 * The value mapper already turns JSON into text and parses text back; the
 * driver's own JSON handling would encode that text a second time (the server
 * describes the parameter as jsonb and postgres.js JSON.stringifies it) and
 * would parse results before the mapper sees them. So JSON travels as text.
 */
const jsonAsText: PostgresType = {
  to: 3802,
  from: [114, 3802],
  serialize: (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value)),
  parse: (text: string) => text,
};

/**
 * Dates (OID 1082) travel as text: the value mapper writes and reads days
 * itself, BC and 5-digit years included, which postgres.js's `new Date(text)`
 * gets wrong.
 */
const dateAsText: PostgresType = {
  to: 1082,
  from: [1082],
  serialize: (value: unknown) => (value instanceof Date ? postgresDay(convert.toDayString(value)) : String(value)),
  parse: (text: string) => text,
};

export function driverOptions(config: PostgresConfig): Options<Record<string, PostgresType>> {
  const options: Options<Record<string, PostgresType>> = {
    prepare: config.prepare ?? true,
    types: { edgerecordJson: jsonAsText, edgerecordTimestamptz: timestamptzType, edgerecordDate: dateAsText },
    // Notices (e.g. "table does not exist, skipping") are not errors; postgres.js would print them.
    onnotice: () => undefined,
  };
  const set = <K extends keyof typeof options>(key: K, value: (typeof options)[K] | undefined) => {
    if (value !== undefined) options[key] = value;
  };
  set("host", config.host);
  set("port", config.port);
  set("database", config.database);
  set("username", config.username);
  set("password", config.password);
  set("ssl", config.ssl as Options<never>["ssl"]);
  set("max", config.max);
  set("fetch_types", config.fetchTypes);
  if (config.idleTimeout !== undefined) options.idle_timeout = config.idleTimeout / 1000;
  if (config.connectTimeout !== undefined) options.connect_timeout = config.connectTimeout / 1000;
  if (config.connection) options.connection = { ...config.connection } as Options<never>["connection"];
  return options;
}

/**
 * Whether to prepare a statement by name: yes for the first
 * `statementCacheSize` SQL texts this backend sees, which stay prepared, and
 * no for any text after them. postgres.js keys its statements by text (and
 * the JavaScript types of the values), so each connection holds at most about
 * that many; queries compile to one text per shape (IN lists included), so an
 * application's own queries fit.
 */
export function preparePolicy(config: PostgresConfig): (sql: string) => boolean {
  if (config.prepare === false) return () => false;
  const size = config.statementCacheSize ?? 256;
  if (!Number.isSafeInteger(size) || size < 0) throw new ConfigurationError(`PostgresBackend: statementCacheSize must be a non-negative integer, got ${String(size)}`);
  const prepared = new Set<string>();
  return (sql) => {
    if (prepared.has(sql)) return true;
    if (prepared.size >= size) return false;
    prepared.add(sql);
    return true;
  };
}

/** Where the server is, for messages: `host:port/database`, never the user or password. */
export function describeServer(config: PostgresConfig): string {
  let host = config.host;
  let port = config.port?.toString();
  let database = config.database;
  if (config.url) {
    try {
      const url = new URL(config.url);
      host ??= decodeURIComponent(url.hostname) || undefined;
      port ??= url.port || undefined;
      database ??= decodeURIComponent(url.pathname.slice(1)) || undefined;
    } catch {
      // An unparseable URL is reported by the driver; here it only means we name less.
    }
  }
  return `${host ?? "localhost"}:${port ?? "5432"}${database ? `/${database}` : ""}`;
}

/** The password, from the fields or the URL, so messages can be scrubbed of it. */
export function secretsOf(config: PostgresConfig): string[] {
  const secrets: string[] = [];
  if (config.password) secrets.push(config.password);
  if (config.url) {
    try {
      const url = new URL(config.url);
      if (url.password) secrets.push(url.password, decodeURIComponent(url.password));
    } catch {
      // Nothing to scrub if it cannot be parsed.
    }
  }
  return secrets.filter((s) => s.length > 0);
}
