export { LibsqlBackend } from "./embedded.ts";
/** The remote-only backend the edge entry exports as `LibsqlBackend`; the embedded one extends it. */
export { LibsqlBackend as RemoteLibsqlBackend } from "./backend.ts";
export type { NativeConnection } from "./native.ts";
export type { LibsqlConfig } from "./config.ts";
export { mapLibsqlError } from "./errors.ts";
