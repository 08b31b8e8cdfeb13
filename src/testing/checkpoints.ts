/**
 * Test-state checkpoints, for `edgerecord/testing` (src/testing/index.ts
 * re-exports this entry). It is a test-time entry: the vitest helper imports
 * vitest, so application code should not import it.
 */
export { StateManager, type ResetOptions } from "./state-manager.ts";
export { useTransactionalTests, type TransactionalTestsOptions } from "./vitest.ts";
