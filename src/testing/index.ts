/**
 * `edgerecord/testing`: the backend conformance suite. A backend's author
 * runs it with their test runner:
 *
 *     import { describe, it, beforeAll, afterAll } from "vitest";
 *     import { runBackendConformance } from "edgerecord/testing";
 *     runBackendConformance({ name: "mydb", makeBackend: () => new MyBackend(cfg), describe, it, beforeAll, afterAll });
 *
 * Also the test-state manager (checkpoints on savepoints). The vitest helper
 * `useTransactionalTests` lives in `edgerecord/testing/vitest`, so that this
 * entry imports no test framework. Not part of the main entry: tests only.
 */
import "../polyfill.ts";
import "reflect-metadata";
import { createContext, type ConformanceOptions } from "./harness.ts";
import { batchTransactionCases } from "./cases/batch-transactions.ts";
import { ddlCases } from "./cases/ddl.ts";
import { errorCases } from "./cases/errors.ts";
import { modelCases } from "./cases/models.ts";
import { relationCases } from "./cases/relations.ts";
import { statementCases } from "./cases/statements.ts";
import { transactionCases } from "./cases/transactions.ts";
import { valueCases } from "./cases/values.ts";
import { whereCases } from "./cases/where.ts";

export type { ConformanceOptions, TestRunner, SuiteContext, Awaitable } from "./harness.ts";
export {
  defineConformanceModels,
  type ConformanceModels,
  type SampleRecord,
  type OwnerRecord,
  type PetRecord,
  type ToyRecord,
  type NoteRecord,
  type LedgerRecord,
} from "./models.ts";
export { ConformanceFailure } from "./assert.ts";
export { StateManager, type ResetOptions, type StateManagerOptions } from "./state-manager.ts";

/** Registers the whole suite in a `describe("backend conformance: <name>")`. */
export function runBackendConformance(options: ConformanceOptions): void {
  options.describe(`backend conformance: ${options.name}`, () => {
    const { ctx, setUp, tearDown } = createContext(options);
    options.beforeAll(setUp);
    options.afterAll(tearDown);
    for (const group of [ddlCases, valueCases, statementCases, whereCases, transactionCases, batchTransactionCases, errorCases, modelCases, relationCases]) {
      group(ctx);
    }
  });
}
