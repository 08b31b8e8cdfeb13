/**
 * `ActiveRecord.bookmark()`: where the current request's database session
 * stands, to hand to the next request (D1 read replication: return it in a
 * header, start the next request's session from it).
 *
 * Nothing here knows D1: a backend with sessions says so by offering
 * `bookmark()` (D1Backend does). The static in active-record.ts is one line
 * that reads it: the core bundle gains no D1 code (about 55 bytes minified,
 * 10-15 gzipped, measured on bench/apps).
 *
 * Undefined, never an error, where there is no session: outside a
 * `withSession` scope, and on a backend without sessions (libSQL,
 * PostgreSQL, a replica set), so a Worker can always write
 * `ActiveRecord.bookmark() ?? ""`. Null: inside a session that has run no
 * statement yet and started without a bookmark. Which backend: the one bound
 * to the model it is called on (`Note.bookmark()`), or on `ActiveRecord`
 * the only one in use (a ConfigurationError when there is none, or several:
 * then call it on a model).
 */
import type { Backend } from "../backend/backend.ts";

/** A backend whose sessions have bookmarks (D1Backend): the optional capability `ActiveRecord.bookmark()` reads. */
export interface BookmarkingBackend extends Backend {
  /** The bookmark of this backend's session in the current async context; undefined outside one. */
  bookmark(): string | null | undefined;
}
