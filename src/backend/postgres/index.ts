export { PostgresBackend } from "./backend.ts";
export type { PostgresConfig } from "./config.ts";
export { mapPostgresError } from "./errors.ts";
