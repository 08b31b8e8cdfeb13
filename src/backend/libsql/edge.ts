/**
 * `edgerecord/libsql` under the workerd, worker, browser and edge-light
 * conditions: remote databases only (`libsql://`, `https://`), through
 * @libsql/client, whose own conditions pick its fetch-based web build. The
 * native engine is not imported, so nothing Node-only enters the bundle.
 */
export { LibsqlBackend } from "./backend.ts";
export type { LibsqlConfig } from "./config.ts";
export { mapLibsqlError } from "./errors.ts";
