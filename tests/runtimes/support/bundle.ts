/**
 * Bundles an entry the way an edge deployment would: esbuild, ES2022 (the
 * highest target that still lowers standard decorators is ES2024; 2022 is
 * what the vitest transform uses too), browser platform with the worker
 * conditions, so `exports` conditions pick edge-safe entries. Node built-ins
 * stay external: workerd provides `node:async_hooks` under `nodejs_compat`.
 */
import { build } from "esbuild";
import { repoRoot } from "./child.ts";

export async function bundle(entry: string, mode: "tc39" | "legacy", conditions: readonly string[] = ["workerd", "worker", "browser"]): Promise<string> {
  const result = await build({
    entryPoints: [`${repoRoot}${entry}`],
    bundle: true,
    write: false,
    format: "esm",
    target: "es2022",
    platform: "browser",
    conditions: [...conditions],
    external: ["node:*"],
    logLevel: "silent",
    tsconfigRaw: { compilerOptions: { experimentalDecorators: mode === "legacy", useDefineForClassFields: true } },
  });
  return result.outputFiles[0]!.text;
}
