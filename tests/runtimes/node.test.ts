/** The shared scenario on Node itself, in this vitest run's decorator mode, on libSQL `:memory:`. */
import { afterAll, describe, expect, it } from "vitest";
import { LibsqlBackend } from "../../src/backend/libsql/index.ts";
import { decoratorMode } from "../support/mode.ts";
import { runScenario } from "./scenario.ts";
import { expectedReport } from "./expected.ts";

describe(`runtime: node (${decoratorMode})`, () => {
  const backend = new LibsqlBackend({ url: ":memory:" });
  afterAll(() => backend.disconnect());

  it("runs the shared scenario on libSQL :memory:", async () => {
    const report = await runScenario(backend, "node");
    expect(report).toEqual(expectedReport({ runtime: "node", decorators: decoratorMode, transactions: "nested" }));
  });
});
