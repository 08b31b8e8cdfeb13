/**
 * `runBackendConformance`: registers, with the caller's test runner, every
 * case a backend must pass. It takes the runner's functions as parameters so
 * this module imports no test framework and runs under any of them.
 */
import { rawQuery } from "../query/raw.ts";
import type { Backend } from "../backend/backend.ts";
import type { CompiledQuery, Query } from "../query/ast.ts";
import { defineConformanceModels, type ConformanceModels } from "./models.ts";

/** A value or a promise of it. */
export type Awaitable<T> = T | Promise<T>;

/** The subset of a test runner (vitest, node:test, bun:test...) the suite uses. */
export interface TestRunner {
  /** Declares a group of tests. */
  describe(name: string, body: () => void): unknown;
  /** Declares a test. */
  it(name: string, body: () => Promise<void>): unknown;
  /** Runs before the group's first test. */
  beforeAll(body: () => Awaitable<unknown>): unknown;
  /** Runs after the group's last test. */
  afterAll(body: () => Awaitable<unknown>): unknown;
}

/** What `runBackendConformance` needs: the test runner's functions and how to make the backend. */
export interface ConformanceOptions extends TestRunner {
  /** Shown in the outer describe: `backend conformance: <name>`. */
  readonly name: string;
  /** Makes the backend under test; called once, before the first case. */
  makeBackend(): Awaitable<Backend>;
  /** Runs after the backend is disconnected: remove files, drop schemas... */
  cleanup?(): Awaitable<void>;
  /** Table-name prefix; by default `er_` and a random suffix, unique per run. */
  readonly prefix?: string;
}

/** What each group of cases sees: the backend and the models, once `beforeAll` has made them. */
export interface SuiteContext {
  /** The runner's `it`. */
  readonly it: TestRunner["it"];
  /** The runner's `describe`. */
  readonly describe: TestRunner["describe"];
  /** The backend under test. */
  readonly backend: Backend;
  /** The suite's models, bound to the backend. */
  readonly models: ConformanceModels;
  /** This run's table-name prefix. */
  readonly prefix: string;
  /** Compiles with the backend's dialect and runs outside any transaction. */
  run(query: Query): Promise<import("../backend/backend.ts").QueryResult>;
  /** Raw SQL, with `?` placeholders rewritten to the dialect's own. */
  raw(text: string, params?: readonly unknown[]): CompiledQuery;
  /** Remembers a table to drop at the end (in reverse order). */
  track(table: string): void;
}

export type CaseGroup = (ctx: SuiteContext) => void;

export function randomPrefix(): string {
  return `er_${Math.random().toString(36).slice(2, 10)}`;
}

export function createContext(options: ConformanceOptions): {
  ctx: SuiteContext;
  setUp(): Promise<void>;
  tearDown(): Promise<void>;
} {
  const prefix = options.prefix ?? randomPrefix();
  const models = defineConformanceModels(prefix);
  const tables: string[] = [];
  let backend: Backend | undefined;

  const current = (): Backend => {
    if (!backend) throw new Error("the conformance suite's backend is not made yet (did beforeAll run?)");
    return backend;
  };

  const ctx: SuiteContext = {
    it: options.it,
    describe: options.describe,
    get backend() {
      return current();
    },
    models,
    prefix,
    run: (query) => current().execute(current().dialect.compile(query)),
    raw(text, params = []) {
      return current().dialect.compile(rawQuery(text, params));
    },
    track(table) {
      if (!tables.includes(table)) tables.push(table);
    },
  };

  return {
    ctx,
    async setUp() {
      backend = await options.makeBackend();
      await backend.connect();
      for (const model of Object.values(models)) model.configure(backend);
      // The tables most cases share; the DDL cases make and drop their own.
      for (const model of [models.Sample, models.Owner, models.Pet]) {
        ctx.track(model.metadata.table);
        await model.createTable();
      }
    },
    async tearDown() {
      try {
        if (backend) {
          for (const table of [...tables].reverse()) {
            await backend.execute(backend.dialect.compile({ kind: "dropTable", table, ifExists: true })).catch(() => undefined);
          }
          await backend.disconnect();
        }
      } finally {
        await options.cleanup?.();
      }
    },
  };
}
