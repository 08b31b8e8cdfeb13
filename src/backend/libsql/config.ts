/** Configuration of a libSQL backend: the URL and connection settings. */
export interface LibsqlConfig {
  /**
   * `file:app.db`, `:memory:` (embedded, Node/Deno/Bun), or `libsql://...` /
   * `https://...` (a remote sqld or Turso database; the only kind workerd allows).
   */
  readonly url: string;
  /** Token for remote databases, and for the primary an embedded replica syncs from (`syncUrl`). */
  readonly authToken?: string;
  /**
   * Makes a `file:` database an embedded replica of this remote database
   * (`libsql://...` / `https://...`, Turso or sqld): reads are local, writes
   * go to the primary, `backend.sync()` pulls its changes. Node, Deno and Bun only.
   */
  readonly syncUrl?: string;
  /** Pull the primary's changes every this many seconds, in the background (embedded replicas; default: only on `sync()`). */
  readonly syncInterval?: number;
  /** An embedded replica sees its own writes at once (libSQL's default true). */
  readonly readYourWrites?: boolean;
  /** Write-ahead logging for file databases (default true: about 10x faster autocommit writes). */
  readonly wal?: boolean;
  /** How long a statement waits on a locked file database before SQLITE_BUSY, in ms (default 5000). */
  readonly busyTimeout?: number;
  /** Enforce FOREIGN KEY constraints (default true; SQLite's own default is off). */
  readonly foreignKeys?: boolean;
  /**
   * How many prepared statements an embedded database keeps per connection
   * (default 256). Statements are keyed by SQL text, so a model's queries are
   * prepared once and reused.
   */
  readonly statementCacheSize?: number;
  /**
   * Force the `@libsql/client` path even for local URLs. By default local URLs
   * use the native `libsql` engine that `@libsql/client` itself runs on, directly,
   * so prepared statements can be cached.
   */
  readonly driver?: "native" | "client";
}

/** Whether `url` names an embedded database (`file:` or `:memory:`) rather than a remote one. */
export function isLocalUrl(url: string): boolean {
  return url === ":memory:" || url.startsWith("file:");
}

/** `file:app.db` / `file:///abs/app.db` / `:memory:` -> what the native engine opens. */
export function localPath(url: string): string {
  if (url === ":memory:" || url === "file::memory:") return ":memory:";
  const rest = url.slice("file:".length);
  const path = rest.startsWith("//") ? rest.replace(/^\/\/[^/]*/, "") : rest;
  return decodeURIComponent(path.split("?")[0]!);
}
