/**
 * The shared scenario on Deno, straight from the TypeScript source (Deno's
 * own transpiler, not esbuild), on libSQL `:memory:` through the native
 * engine. deno.json maps the npm packages; tests/runtimes/deno.legacy.json is
 * the same with `experimentalDecorators`, for the legacy run.
 */
import { describe, expect, it } from "vitest";
import { decoratorMode } from "../support/mode.ts";
import { expectedReport } from "./expected.ts";
import { binary, reportOf, run } from "./support/child.ts";

/** What the native libSQL engine needs: it reads its addon, and probes the platform (glibc or musl) through os. */
const denoPermissions = ["--allow-read=.", "--allow-env", "--allow-ffi", "--allow-sys=cpus,networkInterfaces,hostname"];

describe(`runtime: deno (${decoratorMode})`, () => {
  it("runs the shared scenario on libSQL :memory:", async () => {
    const config = decoratorMode === "legacy" ? ["--config", "tests/runtimes/deno.legacy.json"] : ["--config", "deno.json"];
    const result = await run(binary("deno"), ["run", ...config, ...denoPermissions, "tests/runtimes/entries/libsql.ts"]);
    expect(reportOf(result, "deno")).toEqual(expectedReport({ runtime: "deno", decorators: decoratorMode, transactions: "nested" }));
  }, 90_000);
});
