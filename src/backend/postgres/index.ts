export { PostgresBackend, type PostgresBackendOptions } from "./backend.ts";
export type { PostgresConfig } from "./config.ts";
export { mapPostgresError, type ErrorContext } from "./errors.ts";
