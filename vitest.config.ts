/**
 * Every test file runs twice: once with TC39 standard decorators and once with
 * legacy `experimentalDecorators`, from the same source. Vite's own transform
 * cannot lower standard decorators, so esbuild (target es2022) does both.
 */
import { transform } from "esbuild";
import { defineConfig, type Plugin } from "vitest/config";

type Mode = "tc39" | "legacy";

function decorators(mode: Mode): Plugin {
  return {
    name: `edgerecord-decorators-${mode}`,
    enforce: "pre",
    async transform(code, id) {
      if (!/\.[cm]?ts$/.test(id) || id.includes("/node_modules/")) return null;
      const result = await transform(code, {
        loader: "ts",
        format: "esm",
        target: "es2022",
        sourcemap: true,
        sourcefile: id,
        tsconfigRaw: { compilerOptions: { experimentalDecorators: mode === "legacy", useDefineForClassFields: true } },
      });
      return { code: result.code, map: result.map };
    },
  };
}

const project = (mode: Mode) => ({
  plugins: [decorators(mode)],
  oxc: false as const,
  test: {
    name: mode,
    include: ["tests/**/*.test.ts"],
    // `declare` fields with decorators only compile under legacy decorators.
    exclude: mode === "tc39" ? ["tests/**/*.legacy.test.ts", "**/node_modules/**"] : ["**/node_modules/**"],
    env: { EDGERECORD_DECORATORS: mode },
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});

export default defineConfig({
  test: {
    // Installs the runtime matrix (tests/runtimes/toolchain) when it is missing or stale.
    globalSetup: ["scripts/ensure-installed.mjs"],
    // On CI a JSON report too, from which .ci/run prints the plain "N passed, N failed" line.
    reporters: process.env.CI ? ["default", ["json", { outputFile: ".ci/vitest-report.json" }]] : ["default"],
    projects: [project("tc39"), project("legacy")],
  },
});
