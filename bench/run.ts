/**
 * `npm run bench`: every tool, every workload, on libSQL (a WAL file) and
 * PostgreSQL, **each tool in a process of its own**: per round the tools
 * take turns in an order rotated each round, each in a fresh Node process
 * (bench/tool-process.ts) that runs every workload, warming each up once
 * before timing it (`--per workload`: a process per workload too). Ratios are to the raw driver in the same round; a cell
 * shows their median and their lowest and highest. Writes docs/benchmarks.md
 * (bench/notes.md with the tables), cold start included (bench/cold-start.ts).
 *
 *   npm run bench -- --rounds 5            (default 5 rounds)
 *   npm run bench -- --quick               (a tenth of the work, 3 rounds, no docs written)
 *   npm run bench -- --only libsql --workloads c,d --tools raw,edgerecord
 *   npm run bench -- --per workload        (a process per tool, workload and round: tighter pairs, slower)
 *   npm run bench -- --mode shared         (the old way: every tool in this one process, for comparison; prints only)
 *   npm run bench -- --no-cold             (skip the cold-start table)
 *   npm run bench -- --set counts          (g: withCount on 10,000 authors against the hand-written grouped query; raw, EdgeRecord, prototype hydration)
 *   npm run bench -- --set events          (a, c, e with and without a query listener: raw, EdgeRecord, EdgeRecord + listener)
 *
 * A set other than "main" rewrites only its own block of docs/benchmarks.md
 * and bench/notes.md (between <!-- set:NAME --> and <!-- /set:NAME -->), so
 * the next full run keeps it.
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, freemem, totalmem, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { ALL_WORKLOADS, COUNT_WORKLOAD, FULL_SIZES, isAvailable, runRounds, WORKLOADS, type Fixture, type Sample, type Sizes, type Tool, type ToolEntry, type Workload } from "./harness.ts";
import { cpuTable, median, pairTable, table } from "./report.ts";

const { values: args } = parseArgs({
  options: {
    rounds: { type: "string" },
    quick: { type: "boolean", default: false },
    only: { type: "string" },
    workloads: { type: "string" },
    tools: { type: "string" },
    mode: { type: "string", default: "process" },
    set: { type: "string", default: "main" },
    per: { type: "string", default: "tool" },
    warmups: { type: "string", default: "1" },
    cold: { type: "boolean", default: true },
    "cold-runs": { type: "string", default: "15" },
    out: { type: "string" },
    url: { type: "string", default: process.env["BENCH_POSTGRES_URL"] ?? "postgres://postgres@127.0.0.1:5432/test" },
  },
  allowNegative: true,
});

const root = fileURLToPath(new URL("../", import.meta.url));
const quick = args.quick;
const rounds = Number(args.rounds ?? (quick ? 3 : 5));
const sizes: Sizes = quick ? { insertOne: 200, bulk: 2000, finds: 500, updates: 200, filtered: 200, selects: 2, parents: 1000, countReads: 2 } : FULL_SIZES;
/** What each `--set` runs by default; `--workloads` and `--tools` narrow it (or pick from every workload and tool). */
const SETS: Record<string, { workloads: readonly Workload[]; tools: string[] }> = {
  main: { workloads: WORKLOADS, tools: ["raw", "edgerecord", "edgerecord_prototype", "drizzle", "kysely", "typeorm"] },
  counts: { workloads: [COUNT_WORKLOAD], tools: ["raw", "edgerecord", "edgerecord_prototype"] },
  events: { workloads: WORKLOADS.filter((w) => ["a", "c", "e"].includes(w.key)), tools: ["raw", "edgerecord", "edgerecord_listener"] },
};
const set = SETS[args.set!];
if (!set) throw new Error(`--set ${args.set}: one of ${Object.keys(SETS).join(", ")}`);
const workloads = args.workloads ? ALL_WORKLOADS.filter((w) => args.workloads!.split(",").includes(w.key)) : set.workloads;
const TOOL_KEYS = ["raw", "edgerecord", "edgerecord_prototype", "edgerecord_listener", "drizzle", "kysely", "typeorm"];
const toolKeys = args.tools ? TOOL_KEYS.filter((k) => args.tools!.split(",").some((f) => k === f.toLowerCase())) : [...set.tools];
// A query listener is global to the process: in one shared process it would be heard by every EdgeRecord tool.
if (args.mode === "shared" && toolKeys.includes("edgerecord_listener")) throw new Error("edgerecord_listener needs a process of its own (--mode process)");
if (!toolKeys.includes("raw")) toolKeys.unshift("raw"); // every ratio needs the raw driver in the same round
const log = (line: string) => process.stderr.write(`${line}\n`);

interface ChildResult {
  tool: string;
  unavailable?: string;
  openMs?: number;
  samples?: Sample[];
}

/** Runs one tool on some workloads in a fresh Node process; resolves with what it printed. */
function runInProcess(backend: "libsql" | "postgres", tool: string, keys: string, dir: string): Promise<ChildResult> {
  const argv = [
    "--expose-gc",
    "--conditions=source",
    "--import",
    "tsx",
    `${root}bench/tool-process.ts`,
    ...["--backend", backend, "--tool", tool, "--workloads", keys, "--sizes", JSON.stringify(sizes), "--warmups", args.warmups!, "--dir", dir, "--url", args.url!],
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d));
    child.stderr.on("data", (d: Buffer) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const line = out.trim().split("\n").pop();
      if (code !== 0 || !line) reject(new Error(`${tool} on ${backend} (${keys}) exited ${code}:\n${out}\n${err}`));
      else resolve(JSON.parse(line) as ChildResult);
    });
  });
}

/** Per-process mode: round by round, each tool in its own process (per workload too with --per workload), order rotated per round. */
async function measureInProcesses(backend: "libsql" | "postgres", title: string): Promise<string> {
  const dir = join(tmpdir(), `edgerecord-bench-${process.pid}`);
  const names = new Map<string, ChildResult>();
  const openMs = new Map<string, number[]>();
  const samples: Sample[] = [];
  try {
    // --per workload: a process per tool, workload and round (tighter pairs, slower); by default a process per tool and round.
    const groups = args.per === "workload" ? workloads.map((w) => w.key) : [workloads.map((w) => w.key).join(",")];
    for (let round = 1; round <= rounds; round++) {
      const order = toolKeys.map((_, i) => toolKeys[(i + round) % toolKeys.length]!);
      for (const group of groups) {
        for (const key of order) {
          if (names.get(key)?.unavailable) continue;
          const result = await runInProcess(backend, key, group, join(dir, key));
          names.set(key, result);
          if (result.unavailable) continue;
          openMs.set(result.tool, [...(openMs.get(result.tool) ?? []), result.openMs!]);
          for (const s of result.samples!) {
            samples.push({ ...s, round });
            log(`${backend} round ${round} ${s.workload} ${s.tool}: ${Math.round(s.opsPerSecond)} ops/s`);
          }
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const entries: ToolEntry[] = toolKeys.map((k) => {
    const r = names.get(k)!;
    return r.unavailable ? { name: r.tool, unavailable: r.unavailable } : ({ name: r.tool } as Tool);
  });
  const raw = names.get("raw")!.tool;
  const setup = { title: "open (ms)", cell: (tool: string) => (openMs.get(tool)?.length ? median(openMs.get(tool)!).toFixed(1) : "-") };
  let pair = "";
  const listening = names.get("edgerecord_listener");
  const plain = names.get("edgerecord");
  if (listening && plain && !listening.unavailable && !plain.unavailable) {
    pair = `\n\n${pairTable(`${title}: ${listening.tool} against ${plain.tool} (no listener), same round`, workloads, samples, listening.tool, plain.tool)}`;
  }
  return `${table(title, entries, workloads, samples, raw, [setup])}\n\n${cpuTable(title, entries, workloads, samples, raw)}${pair}`;
}

/** Shared mode (the old table): every tool opened in this one process, tools interleaved per workload. */
async function measureShared(backend: "libsql" | "postgres", title: string): Promise<string> {
  const suite =
    backend === "libsql"
      ? await (await import("./libsql.ts")).libsqlSuite(join(tmpdir(), `edgerecord-bench-${process.pid}`), toolKeys)
      : await (await import("./postgres.ts")).postgresSuite(args.url!, toolKeys);
  const entries = suite.tools;
  const tools = entries.filter(isAvailable);
  const opened: Tool[] = [];
  try {
    for (const tool of tools) {
      await tool.open();
      opened.push(tool);
    }
    const samples: Sample[] = await runRounds(tools, suite.fixture as Fixture, { rounds, sizes, workloads, log });
    const shared = `${title}, every tool in one process`;
    return `${table(shared, entries, workloads, samples, tools[0]!.name)}\n\n${cpuTable(shared, entries, workloads, samples, tools[0]!.name)}`;
  } finally {
    for (const tool of opened) await tool.close().catch(() => undefined);
    await suite.cleanup();
  }
}

function versions(): string {
  const names = ["@libsql/client", "libsql", "postgres", "drizzle-orm", "kysely", "@libsql/kysely-libsql", "kysely-postgres-js", "typeorm", "pg"];
  const version = (name: string) => {
    // Peers may sit in bench/node_modules (bench/peers, linked by scripts/ensure-installed.mjs), drivers at the root.
    for (const dir of [`${root}bench/node_modules/`, `${root}node_modules/`]) {
      try {
        return (JSON.parse(readFileSync(`${dir}${name}/package.json`, "utf8")) as { version: string }).version;
      } catch {
        // next
      }
    }
    return "?";
  };
  const self = JSON.parse(readFileSync(`${root}package.json`, "utf8")) as { version: string };
  return [`edgerecord ${self.version} (this tree)`, ...names.map((n) => `${n} ${version(n)}`)].join(", ");
}

const backends: ["libsql" | "postgres", string][] = [
  ["libsql", "libSQL (local file, WAL)"],
  ["postgres", "PostgreSQL"],
];
const sections: string[] = [];
const started = Date.now();
for (const [backend, title] of backends) {
  if (args.only && args.only !== backend) continue;
  const named = args.set === "main" ? title : `${title}, set ${args.set}`; // headings of their own beside the main tables
  sections.push(args.mode === "shared" ? await measureShared(backend, named) : await measureInProcesses(backend, named));
}

const machine = `${cpus().length} cores (${cpus()[0]?.model ?? "?"}), ${Math.round(totalmem() / 2 ** 30)} GiB memory (${Math.round(freemem() / 2 ** 30)} GiB free), Node ${process.version}, ${process.platform}`;
const how =
  args.mode === "shared"
    ? `every tool in this one process, ${rounds} rounds after a warm-up round`
    : `each tool in a fresh Node process per ${args.per === "workload" ? "workload and round" : "round"} (${rounds} rounds, order rotated each round; ${args.warmups} untimed warm-up run of each workload in the process before the timed one)`;
const header = [
  `Run: ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC${args.set === "main" ? "" : ` (\`npm run bench -- --set ${args.set}\`, ${Math.round((Date.now() - started) / 60_000)} min)`}, ${how}. A cell: median ops/s, **the median over rounds of the tool's ops/s over the raw driver's in the same round**, then the lowest and highest of those per-round ratios. "open": connecting (pool or client setup), median.`,
  `Machine: ${machine}.`,
  `Versions: ${versions()}.`,
  `Sizes: ${JSON.stringify(sizes)}.`,
].join("\n\n");
const result = `${header}\n\n${sections.join("\n\n")}\n`;
process.stdout.write(result);

const unfiltered = !quick && !args.tools && !args.workloads && !args.only && args.mode !== "shared";
let cold = "";
if (args.set === "main" && args.cold && unfiltered) {
  const { coldStartTable } = await import("./cold-start.ts");
  cold = await coldStartTable({ runs: Number(args["cold-runs"]), url: args.url!, log });
  process.stdout.write(`\n${cold}\n`);
}

if (args.set !== "main" && unfiltered) {
  // Only this set's block, in the page and in its template, so the next full run keeps it.
  const begin = `<!-- set:${args.set} -->`;
  const end = `<!-- /set:${args.set} -->`;
  for (const path of [args.out ?? `${root}docs/benchmarks.md`, `${root}bench/notes.md`]) {
    const page = readFileSync(path, "utf8");
    const from = page.indexOf(begin);
    const to = page.indexOf(end);
    if (from < 0 || to < from) throw new Error(`${path} has no ${begin} ... ${end} block`);
    writeFileSync(path, `${page.slice(0, from + begin.length)}\n${result}\n${page.slice(to)}`);
    log(`wrote the ${args.set} block of ${path}`);
  }
} else if (unfiltered) {
  const path = args.out ?? `${root}docs/benchmarks.md`;
  const doc = readFileSync(`${root}bench/notes.md`, "utf8").replace("<!-- results -->", result).replace("<!-- cold -->", cold || "(not measured in this run)");
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, doc);
  log(`wrote ${path}`);
}
