/**
 * The core stays edge-safe: bundled for the browser platform, EdgeRecord's
 * own code imports no Node built-in except `node:async_hooks` (from the one
 * scope module), and never evaluates strings as code (eval, new Function),
 * which workerd forbids and strict CSPs report. The edge entries of the
 * backends (D1, libSQL's remote-only entry) import no built-in at all.
 */
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./support/child.ts";

const DEPENDENCIES = ["zod", "reflect-metadata", "@libsql/client"];
const EVAL = /\beval\s*\(|\bnew\s+Function\s*\(|(?<![\w.$])Function\s*\(\s*["'`]/;

/** Bundles an entry of ours for the browser (dependencies external); a bare `fs`-style import fails the build itself. */
async function bundleOwn(entry: string) {
  const result = await build({
    entryPoints: [`${repoRoot}${entry}`],
    bundle: true,
    write: false,
    format: "esm",
    target: "es2022",
    platform: "browser",
    conditions: ["workerd", "worker", "browser"],
    external: ["node:*", ...DEPENDENCIES],
    metafile: true,
    logLevel: "silent",
  });
  const builtins = Object.entries(result.metafile.inputs).flatMap(([file, input]) =>
    input.imports.filter((i) => i.external && i.path.startsWith("node:")).map((i) => `${file} -> ${i.path}`),
  );
  return { code: result.outputFiles[0]!.text, builtins: [...new Set(builtins)] };
}

describe("edge safety", () => {
  it("the core imports only node:async_hooks, and only from src/transaction/scope.ts", async () => {
    const { builtins } = await bundleOwn("src/index.ts");
    expect(builtins).toEqual(["src/transaction/scope.ts -> node:async_hooks"]);
  });

  it.each(["src/backend/d1/index.ts", "src/backend/libsql/edge.ts"])("%s adds no Node built-in", async (entry) => {
    const { builtins } = await bundleOwn(entry);
    expect(builtins.filter((b) => !b.startsWith("src/transaction/scope.ts"))).toEqual([]);
  });

  it.each(["src/index.ts", "src/backend/d1/index.ts", "src/backend/libsql/edge.ts"])("%s never evaluates strings as code", async (entry) => {
    const { code } = await bundleOwn(entry);
    const hits = code.split("\n").filter((line) => EVAL.test(line));
    expect(hits).toEqual([]);
  });

  it("the eval check itself catches each spelling", () => {
    for (const line of ["eval(src)", "x = new Function('return 1')", 'Function("return this")()']) expect(line).toMatch(EVAL);
    for (const line of ["evaluate(x)", "isFunction(x)", "typeof x === 'function'", "new FunctionCall()"]) expect(line).not.toMatch(EVAL);
  });
});
