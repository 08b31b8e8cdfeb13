export { PgliteBackend } from "./backend.ts";
export type { PgliteConfig } from "./config.ts";
export { mapPgliteError } from "./errors.ts";
