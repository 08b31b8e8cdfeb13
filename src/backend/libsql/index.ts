export { LibsqlBackend } from "./backend.ts";
export type { LibsqlConfig } from "./config.ts";
export { mapLibsqlError } from "./errors.ts";
