/**
 * Bundles an entry the way an edge deployment would: esbuild, ES2022 (standard
 * decorators need a target of at most ES2024, so esbuild lowers them; 2022 is
 * what the vitest transform uses too), browser platform with the edge
 * conditions, so `exports` conditions pick edge-safe entries.
 */
import { build, type Plugin } from "esbuild";
import { repoRoot } from "./child.ts";

export interface BundleOptions {
  /** `exports` conditions, most specific first. */
  conditions?: readonly string[];
  /** "esm" for a Worker module; "iife" for a plain script (the edge-runtime VM evaluates scripts). */
  format?: "esm" | "iife";
  /** For "iife": the global the entry's exports are assigned to. */
  globalName?: string;
  /**
   * Where no module system provides `node:async_hooks` (the edge-runtime VM),
   * read AsyncLocalStorage from the global the host installs, as Vercel's
   * edge runtime does. Otherwise node: imports stay external (workerd
   * provides them under `nodejs_compat`).
   */
  asyncLocalStorageFromGlobal?: boolean;
}

const globalAsyncHooks: Plugin = {
  name: "async-hooks-from-global",
  setup(b) {
    b.onResolve({ filter: /^node:async_hooks$/ }, () => ({ path: "async_hooks", namespace: "edge-global" }));
    b.onLoad({ filter: /.*/, namespace: "edge-global" }, () => ({
      contents: "export const AsyncLocalStorage = globalThis.AsyncLocalStorage;",
      loader: "js",
    }));
  },
};

/** `entry` is a path from the repository root, or `{ source }`: a module written by the test, resolved from the root. */
export async function bundle(entry: string | { source: string }, mode: "tc39" | "legacy", options: BundleOptions = {}): Promise<string> {
  const result = await build({
    ...(typeof entry === "string"
      ? { entryPoints: [`${repoRoot}${entry}`] }
      : { stdin: { contents: entry.source, loader: "ts", resolveDir: repoRoot, sourcefile: "generated-entry.ts" } }),
    bundle: true,
    write: false,
    format: options.format ?? "esm",
    ...(options.globalName ? { globalName: options.globalName } : {}),
    target: "es2022",
    platform: "browser",
    conditions: [...(options.conditions ?? ["workerd", "worker", "browser"]), "source"],
    // cloudflare:sockets is how postgres.js opens TCP in workerd.
    external: options.asyncLocalStorageFromGlobal ? [] : ["node:*", "cloudflare:*"],
    plugins: options.asyncLocalStorageFromGlobal ? [globalAsyncHooks] : [],
    logLevel: "silent",
    tsconfigRaw: { compilerOptions: { experimentalDecorators: mode === "legacy", useDefineForClassFields: true } },
  });
  return result.outputFiles[0]!.text;
}

/** What a wrangler.toml would say: `compatibility_flags = ["nodejs_compat"]` and a `[[d1_databases]]` binding. */
export const workerOptions = { modules: true, compatibilityDate: "2025-09-01", compatibilityFlags: ["nodejs_compat"], d1Databases: ["DB"] };
