/**
 * Cold start as an application sees it: a fresh Node process imports its
 * database layer, connects and runs its first query (a find by key on a table
 * that holds one row). EdgeRecord beside the raw driver, each app in N fresh
 * processes, the two taking turns (A B A B ...) so a busy neighbour hits both.
 *
 *   npx tsx bench/cold-start.ts              # 15 processes per app
 *   npx tsx bench/cold-start.ts --runs 31
 *
 * Two ways to ship the app:
 * - "package": EdgeRecord as published (src/ compiled by tsc to one .js per
 *   file, as dist/ is) and its dependencies (zod, reflect-metadata, the
 *   drivers) loaded from node_modules: a Node server that does not bundle.
 * - "one-file": EdgeRecord's own code as one file (as a bundled dist/ would
 *   be), zod, reflect-metadata and the drivers from node_modules: shows what
 *   the ~110 files of the tsc output cost to load.
 * - "bundle": the app, EdgeRecord, zod and reflect-metadata in one esbuild
 *   bundle (drivers external: they hold native code), as a bundled server or
 *   a Worker ships it.
 * The figure is `performance.now()` printed after the first query (ms since
 * the process began, Node's own start-up included, the same for both sides);
 * "EdgeRecord − raw" is the difference of the medians. No threshold is
 * asserted: timings belong here, never in tests.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";
import postgres from "postgres";
import { createClient } from "@libsql/client";
import { median } from "./report.ts";

const root = fileURLToPath(new URL("../", import.meta.url));
const out = `${root}bench/.out/cold/`;
const DRIVERS = ["@libsql/client", "libsql", "postgres"];

export interface ColdStartOptions {
  runs: number;
  url: string;
  log?: (line: string) => void;
}

/** src/ compiled as dist/ is (tsc, one file per module), into bench/.out/cold/dist. */
function compilePackage(): string {
  const dist = `${out}dist/`;
  rmSync(dist, { recursive: true, force: true });
  execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, "-p", `${root}tsconfig.build.json`, "--outDir", dist, "--declaration", "false", "--sourceMap", "false"], { cwd: root, stdio: "inherit" });
  return dist;
}

/** `edgerecord` and `edgerecord/<entry>` to the compiled files, left as imports (the "package" way). */
function packageImports(dist: string): Plugin {
  const entries: Record<string, string> = {
    edgerecord: "index.js",
    "edgerecord/libsql": "backend/libsql/index.js",
    "edgerecord/postgres": "backend/postgres/index.js",
  };
  return {
    name: "edgerecord-package",
    setup(b) {
      b.onResolve({ filter: /^edgerecord(\/.*)?$/ }, (a) => ({ path: `${dist}${entries[a.path]}`, external: true }));
    },
  };
}

type Way = "package" | "one-file" | "bundle";

async function bundle(entry: string, name: string, way: Way, dist: string): Promise<string> {
  mkdirSync(out, { recursive: true });
  const file = `${out}${name}.mjs`;
  await build({
    entryPoints: [`${root}bench/cold/${entry}`],
    outfile: file,
    bundle: true,
    format: "esm",
    target: "es2022",
    platform: "node",
    conditions: ["source"],
    // "package": only the app is compiled here; everything it imports loads as a Node app loads it.
    // "one-file": EdgeRecord's code inlined (as a bundled dist/ would ship it), its dependencies still from node_modules.
    external: way === "bundle" ? DRIVERS : [...DRIVERS, "zod", "zod/*", "reflect-metadata"],
    plugins: way === "package" ? [packageImports(dist)] : [],
    logLevel: "error",
  });
  return file;
}

interface Run {
  /** Ms from process start to the first query's result. */
  wall: number;
  /** CPU ms (user + system) the process had used by then: steadier than wall time on a busy machine. */
  cpu: number;
}

function runOnce(file: string, env: Record<string, string>): Run {
  const child = spawnSync(process.execPath, [file], { cwd: root, encoding: "utf8", env: { ...process.env, ...env } });
  const line = child.stdout.split("\n").find((l) => l.startsWith("COLD "));
  if (child.status !== 0 || !line) throw new Error(`${file} failed (${child.status}):\n${child.stdout}\n${child.stderr}`);
  const [wall, cpu] = line.slice(5).split(" ").map(Number);
  return { wall: wall!, cpu: cpu! };
}

/** Apps taking turns, one process each per run; per app its runs. */
function alternate(files: readonly string[], env: Record<string, string>, runs: number): Run[][] {
  for (const file of files) runOnce(file, env); // warm the OS file cache, not counted
  const times = files.map(() => [] as Run[]);
  for (let i = 0; i < runs; i++) files.forEach((file, k) => times[k]!.push(runOnce(file, env)));
  return times;
}

const ms = (v: number) => `${v.toFixed(0)} ms`;
const cell = (values: number[]) => `${ms(median(values))} (${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)})`;
const pick = (runs: Run[], key: keyof Run) => runs.map((r) => r[key]);

export async function coldStartTable(options: ColdStartOptions): Promise<string> {
  const log = options.log ?? (() => undefined);
  const dist = compilePackage();
  const dir = join(tmpdir(), `edgerecord-cold-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const libsqlUrl = `file:${join(dir, "cold.db")}`;
  const client = createClient({ url: libsqlUrl });
  await client.batch(["PRAGMA journal_mode = WAL", "CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL)", "INSERT INTO users (name) VALUES ('Ann')"], "write");
  client.close();
  const sql = postgres(options.url, { max: 1, onnotice: () => undefined });
  await sql.unsafe(`DROP TABLE IF EXISTS bench_cold_users; CREATE TABLE bench_cold_users (id INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name TEXT NOT NULL); INSERT INTO bench_cold_users (name) VALUES ('Ann')`);

  const lines = [
    `Cold start: a fresh Node process imports, connects and runs its first query (find by key): ms from process start to the result, and the CPU ms (user + system) the process had used by then; median (min–max) of ${options.runs} processes per app, raw and EdgeRecord taking turns.`,
    "",
    "",
    "| backend | shipped as | raw driver | time to first query: raw | EdgeRecord | EdgeRecord − raw | CPU used by then: raw | EdgeRecord | EdgeRecord − raw |",
    "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  try {
    const cases: [string, string, string, string, Record<string, string>][] = [
      ["libSQL file", "@libsql/client", "raw-libsql-client.ts", "er-libsql.ts", { COLD_URL: libsqlUrl }],
      ["libSQL file", "libsql (native)", "raw-libsql-native.ts", "er-libsql.ts", { COLD_URL: libsqlUrl }],
      ["PostgreSQL", "postgres.js", "raw-postgres.ts", "er-postgres.ts", { COLD_URL: options.url }],
    ];
    for (const [backend, rawName, rawEntry, ourEntry, env] of cases) {
      for (const way of ["package", "one-file", "bundle"] as const) {
        const base = await bundle(rawEntry, `${rawEntry}-${way}`, way, dist);
        const ours = await bundle(ourEntry, `${ourEntry}-${way}`, way, dist);
        const [a, b] = alternate([base, ours], env, options.runs);
        const [aw, bw, ac, bc] = [pick(a!, "wall"), pick(b!, "wall"), pick(a!, "cpu"), pick(b!, "cpu")];
        log(`cold ${backend} ${way}: ${rawName} ${median(aw).toFixed(1)} ms (cpu ${median(ac).toFixed(1)}), EdgeRecord ${median(bw).toFixed(1)} ms (cpu ${median(bc).toFixed(1)})`);
        lines.push(
          `| ${backend} | ${way} | ${rawName} | ${cell(aw)} | ${cell(bw)} | **${(median(bw) - median(aw)).toFixed(0)} ms** | ${cell(ac)} | ${cell(bc)} | **${(median(bc) - median(ac)).toFixed(0)} ms** |`,
        );
      }
    }
  } finally {
    await sql.unsafe("DROP TABLE IF EXISTS bench_cold_users");
    await sql.end();
    rmSync(dir, { recursive: true, force: true });
  }
  return lines.join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const at = process.argv.indexOf("--runs");
  const runs = at > 0 ? Number(process.argv[at + 1]) : 15;
  const url = process.env["BENCH_POSTGRES_URL"] ?? "postgres://postgres@127.0.0.1:5432/test";
  console.log(await coldStartTable({ runs, url, log: (l) => process.stderr.write(`${l}\n`) }));
}
