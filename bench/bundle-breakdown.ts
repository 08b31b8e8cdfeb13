/**
 * Where the minimal Worker app's own-code bytes come from, per source file:
 *
 *   npx tsx bench/bundle-breakdown.ts
 *
 * Same build as bench/bundle-size.ts (libSQL app, browser platform,
 * workerd/worker/browser/source conditions, ES2022, minified, drivers, zod and
 * reflect-metadata external). Per file it prints the minified bytes and the
 * *marginal* gzip bytes: how much gzip -9 of the bundle grows when that file's
 * code is appended to everything before it. The marginal figure is the one to
 * trust when trimming: gzip already removes most repetition within its 32 KiB
 * window, so folding near-duplicate code into a helper usually saves minified
 * bytes but almost no gzipped ones; only code (and text) that is unique counts.
 * Each file is minified on its own here, so the totals differ a little from
 * the real bundle's, which the first line gives.
 */
import { build, transform } from "esbuild";
import { gzipSync } from "node:zlib";

const root = new URL("../", import.meta.url).pathname;
const options = {
  entryPoints: [`${root}bench/apps/libsql-app.ts`],
  bundle: true,
  write: false,
  format: "esm" as const,
  target: "es2022",
  platform: "browser" as const,
  conditions: ["workerd", "worker", "browser", "source"],
  external: ["@libsql/client", "libsql", "postgres", "node:*", "zod", "zod/*", "reflect-metadata"],
  logLevel: "error" as const,
};
const gz = (bytes: Uint8Array | string) => gzipSync(bytes, { level: 9 }).length;

const whole = (await build({ ...options, minify: true })).outputFiles![0]!.contents;
const app = (await build({ ...options, minify: true, external: [...options.external, "edgerecord", "edgerecord/*"] })).outputFiles![0]!.contents;
console.log(`own code: ${whole.length - app.length} B minified, ${gz(whole) - gz(app)} B gzipped\n`);

// The unminified bundle marks each module with a "// path" line: split there, in bundle order.
const text = (await build({ ...options, minify: false })).outputFiles![0]!.text;
const parts = text.split(/^\/\/ ((?:src|bench)\/\S+)$/m);
const byFile = new Map<string, { minified: number; gzipped: number }>();
let sofar = "";
let before = 0;
for (let i = 1; i < parts.length; i += 2) {
  const code = (await transform(parts[i + 1]!, { minify: true, target: "es2022" })).code;
  sofar += code;
  const after = gz(sofar);
  const entry = byFile.get(parts[i]!) ?? { minified: 0, gzipped: 0 };
  byFile.set(parts[i]!, { minified: entry.minified + code.length, gzipped: entry.gzipped + after - before });
  before = after;
}
console.log("  gzip  minified  file");
for (const [file, { minified, gzipped }] of [...byFile].sort((a, b) => b[1].gzipped - a[1].gzipped)) {
  console.log(`${String(gzipped).padStart(6)}  ${String(minified).padStart(8)}  ${file}`);
}
