/**
 * Weight and start-up of a minimal EdgeRecord app (one model, one select by
 * id), beside the raw driver alone.
 *
 *   npx tsx bench/bundle-size.ts            # sizes, and cold starts with 15 processes per runtime
 *   npx tsx bench/bundle-size.ts --runs 31  # more processes
 *   npx tsx bench/bundle-size.ts --no-cold  # sizes only
 *
 * Sizes: each app is bundled with esbuild as a Worker would be (browser
 * platform, workerd/worker/browser conditions, ES2022, minified), drivers
 * external. "own code" also leaves zod and reflect-metadata external, and is
 * what EdgeRecord adds to the app: the bundle minus the same app bundled with
 * `edgerecord` itself external. That leaves out the app's own lines and
 * esbuild's helpers for lowering the app's standard decorators (~0.9 KiB
 * gzipped), which come from the user's classes, not from src/ (the "whole
 * app" row shows them). "shipped" includes zod and reflect-metadata, since a
 * user's bundle does. The budget is own code <= 15 KiB gzipped.
 *
 * Cold start: each app is bundled for Node (drivers external) and run in N
 * fresh processes per runtime; each prints performance.now() after its first
 * query (ms since the process began). Medians are printed; no threshold is
 * asserted (timings belong here, not in tests).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build, type Metafile } from "esbuild";

const root = fileURLToPath(new URL("../", import.meta.url));
const out = `${root}bench/.out/`;
const BUDGET = 15 * 1024;
const DRIVERS = ["@libsql/client", "libsql", "postgres", "node:*"];
const DEPENDENCIES = ["zod", "zod/*", "reflect-metadata"];
/** EdgeRecord itself, left external to measure the app alone. */
const EDGERECORD = ["edgerecord", "edgerecord/*"];

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf("--runs") + 1]) || 15;
const cold = !args.includes("--no-cold");

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

interface Size {
  minified: number;
  gzipped: number;
  byPackage: Record<string, number>;
}

/** Which package (or src/ folder) each output byte came from, from esbuild's metafile. */
function attribute(metafile: Metafile): Record<string, number> {
  const by: Record<string, number> = {};
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
      const parts = path.split("/");
      const key = parts[0] === "node_modules" ? parts.slice(0, parts[1]!.startsWith("@") ? 3 : 2).join("/") : parts.slice(0, 2).join("/");
      by[key] = (by[key] ?? 0) + bytesInOutput;
    }
  }
  return by;
}

async function measure(entry: string, external: readonly string[], legacy = false): Promise<Size> {
  const result = await build({
    entryPoints: [`${root}${entry}`],
    bundle: true,
    write: false,
    minify: true,
    format: "esm",
    target: "es2022",
    platform: "browser",
    conditions: ["workerd", "worker", "browser", "source"],
    external: [...external],
    metafile: true,
    logLevel: "error",
    ...(legacy ? { tsconfigRaw: { compilerOptions: { experimentalDecorators: true } } } : {}),
  });
  const code = result.outputFiles[0]!.contents;
  return { minified: code.length, gzipped: gzipSync(code, { level: 9 }).length, byPackage: attribute(result.metafile) };
}

/** What `full` adds over `base` (the same app with EdgeRecord external). */
function minus(full: Size, base: Size): Size {
  return { minified: full.minified - base.minified, gzipped: full.gzipped - base.gzipped, byPackage: full.byPackage };
}

async function sizes(): Promise<void> {
  console.log("## Bundle size (esbuild, browser platform, workerd/worker/browser conditions, ES2022, minified; gzip -9)\n");
  console.log("| app | what | minified | gzipped | budget |");
  console.log("| --- | --- | ---: | ---: | --- |");
  const breakdowns: [string, Record<string, number>][] = [];
  for (const [name, entry] of [
    ["libSQL (remote entry)", "bench/apps/libsql-app.ts"],
    ["D1", "bench/apps/d1-app.ts"],
  ] as const) {
    const whole = await measure(entry, [...DRIVERS, ...DEPENDENCIES]);
    const own = minus(whole, await measure(entry, [...DRIVERS, ...DEPENDENCIES, ...EDGERECORD]));
    // Legacy decorators need no helpers; src/ compiles the same either way, so the two own-code rows should agree.
    const ownLegacy = minus(await measure(entry, [...DRIVERS, ...DEPENDENCIES], true), await measure(entry, [...DRIVERS, ...DEPENDENCIES, ...EDGERECORD], true));
    const shipped = await measure(entry, DRIVERS);
    const verdict = (size: Size) => (size.gzipped <= BUDGET ? "within 15 KiB" : `OVER by ${kib(size.gzipped - BUDGET)}`);
    console.log(`| ${name} | EdgeRecord's own code (TC39 decorators) | ${kib(own.minified)} | ${kib(own.gzipped)} | ${verdict(own)} |`);
    console.log(`| ${name} | EdgeRecord's own code (legacy decorators) | ${kib(ownLegacy.minified)} | ${kib(ownLegacy.gzipped)} | ${verdict(ownLegacy)} |`);
    console.log(`| ${name} | whole app: + the app and esbuild's TC39 decorator helpers | ${kib(whole.minified)} | ${kib(whole.gzipped)} | |`);
    console.log(`| ${name} | shipped: + zod, reflect-metadata | ${kib(shipped.minified)} | ${kib(shipped.gzipped)} | |`);
    breakdowns.push([name, shipped.byPackage]);
  }
  for (const [name, by] of breakdowns) {
    console.log(`\nMinified bytes by origin, ${name}:`);
    for (const [key, bytes] of Object.entries(by).sort((a, b) => b[1] - a[1])) console.log(`  ${kib(bytes).padStart(10)}  ${key}`);
  }
}

/** Bundles a cold-start app for Node into bench/.out, drivers external (they load from node_modules, as in production). */
async function bundleForNode(entry: string, name: string): Promise<string> {
  mkdirSync(out, { recursive: true });
  const file = `${out}${name}.mjs`;
  await build({
    entryPoints: [`${root}${entry}`],
    outfile: file,
    bundle: true,
    format: "esm",
    target: "es2022",
    platform: "node",
    conditions: ["source"],
    external: DRIVERS,
    logLevel: "error",
  });
  return file;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Runs `file` in `runs` fresh processes; medians of the in-process time to first query and of the whole process. */
function coldStart(command: string, commandArgs: readonly string[], file: string): { firstQuery: number; process: number } {
  const firstQuery: number[] = [];
  const whole: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const child = spawnSync(command, [...commandArgs, file], { cwd: root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    whole.push(performance.now() - started);
    const line = child.stdout.split("\n").find((l) => l.startsWith("COLD "));
    if (child.status !== 0 || !line) throw new Error(`${command} ${file} failed (${child.status}):\n${child.stdout}\n${child.stderr}`);
    firstQuery.push(Number(line.slice(5)));
  }
  return { firstQuery: median(firstQuery), process: median(whole) };
}

async function coldStarts(): Promise<void> {
  const edgerecord = await bundleForNode("bench/cold/edgerecord.ts", "cold-edgerecord");
  const raw = await bundleForNode("bench/cold/raw-libsql.ts", "cold-raw-libsql");
  // Bun and Deno come with the runtime matrix (tests/runtimes/toolchain, linked as tests/node_modules by scripts/ensure-installed.mjs).
  const bin = (name: string) => [`${root}tests/node_modules/.bin/${name}`, `${root}node_modules/.bin/${name}`].find((path) => existsSync(path));
  const runtimes: [string, string, string[]][] = [["node", process.execPath, []]];
  const bun = bin("bun");
  const deno = bin("deno");
  if (bun) runtimes.push(["bun", bun, []]);
  if (deno) runtimes.push(["deno", deno, ["run", "--allow-read", "--allow-env", "--allow-ffi", "--allow-sys"]]);
  console.log(`\n## Cold start: import + configure + create table + insert + first select by id, libSQL :memory:, median of ${runs} fresh processes\n`);
  console.log("| runtime | raw libsql: first query | EdgeRecord: first query | ratio | raw: whole process | EdgeRecord: whole process | ratio |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const [name, command, commandArgs] of runtimes) {
    const base = coldStart(command, commandArgs, raw);
    const ours = coldStart(command, commandArgs, edgerecord);
    const ms = (v: number) => `${v.toFixed(1)} ms`;
    console.log(
      `| ${name} | ${ms(base.firstQuery)} | ${ms(ours.firstQuery)} | ${(ours.firstQuery / base.firstQuery).toFixed(2)}x | ` +
        `${ms(base.process)} | ${ms(ours.process)} | ${(ours.process / base.process).toFixed(2)}x |`,
    );
  }
}

await sizes();
if (cold) await coldStarts();
