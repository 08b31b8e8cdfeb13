export { D1Backend } from "./backend.ts";
export { D1Dialect, d1Capabilities } from "./dialect.ts";
export { mapD1Error } from "./errors.ts";
export { BatchTransaction } from "./transaction.ts";
export type { D1Config, D1Database, D1DatabaseSession, D1PreparedStatement, D1Result, D1Meta, D1SessionStart, D1Statements } from "./binding.ts";
