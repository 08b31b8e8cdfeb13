/**
 * The shared scenario on Bun, straight from the TypeScript source (Bun's own
 * transpiler), on libSQL `:memory:` through the native engine. Bun takes the
 * decorator mode from a tsconfig: the legacy run passes one that sets
 * `experimentalDecorators`.
 */
import { describe, expect, it } from "vitest";
import { decoratorMode } from "../support/mode.ts";
import { expectedReport } from "./expected.ts";
import { binary, reportOf, run } from "./support/child.ts";

describe(`runtime: bun (${decoratorMode})`, () => {
  it("runs the shared scenario on libSQL :memory:", async () => {
    const config = decoratorMode === "legacy" ? ["--tsconfig-override=tests/runtimes/tsconfig.legacy.json"] : [];
    const result = await run(binary("bun"), [...config, "tests/runtimes/entries/libsql.ts"]);
    expect(reportOf(result, "bun")).toEqual(expectedReport({ runtime: "bun", decorators: decoratorMode, transactions: "nested" }));
  }, 90_000);
});
