export { LibsqlBackend } from "./embedded.ts";
export type { LibsqlConfig } from "./config.ts";
export { mapLibsqlError } from "./errors.ts";
