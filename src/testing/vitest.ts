/**
 * `useTransactionalTests(backend)`: every test of the file runs inside a
 * checkpoint rolled back after it, and the whole file inside one transaction
 * rolled back at the end. Call it at the top level of a test file (or inside a
 * `describe`). Tests of one file must run one at a time (vitest's default;
 * not `describe.concurrent`), since they share the transaction.
 *
 * `useTransactionalTests(backend, { schema })` starts the file from a schema
 * snapshot (the `edgerecord.schema.json` that `migrate generate` writes, its
 * text, or `snapshotFromModels(models)`), created inside that transaction
 * before `setup` runs, and gone with it at the end.
 */
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import type { Backend } from "../backend/backend.ts";
import { StateManager, type StateManagerOptions } from "./state-manager.ts";

export type { StateManagerOptions } from "./state-manager.ts";

/** Options of `useTransactionalTests`. */
export interface TransactionalTestsOptions extends StateManagerOptions {
  /** Runs once after connect (and after `schema` is created), inside the outer transaction (create tables, seed shared rows). */
  readonly setup?: (manager: StateManager) => Promise<void> | void;
}

/** `backend` may be a function, read in beforeAll, for a backend made by an earlier hook. */
export function useTransactionalTests(backend: Backend | (() => Backend), options: TransactionalTestsOptions = {}): { readonly manager: StateManager } {
  const state: { manager: StateManager } = { manager: undefined as unknown as StateManager };
  beforeAll(async () => {
    state.manager = new StateManager(typeof backend === "function" ? backend() : backend, options.schema === undefined ? {} : { schema: options.schema });
    await state.manager.connect();
    await options.setup?.(state.manager);
  });
  afterAll(async () => {
    await state.manager?.disconnect();
  });
  beforeEach(async () => {
    await state.manager.checkpoint("edgerecord_test");
  });
  afterEach(async () => {
    await state.manager.rollback("edgerecord_test");
  });
  return state;
}
