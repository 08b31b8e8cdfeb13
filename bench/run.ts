/**
 * `npm run bench`: every tool, every workload, interleaved, on libSQL (a WAL
 * file) and PostgreSQL; writes docs/benchmarks.md.
 *
 *   npm run bench -- --rounds 5            (default 5 rounds after a warm-up)
 *   npm run bench -- --quick               (a tenth of the work, 2 rounds, no docs written)
 *   npm run bench -- --only libsql --workloads c,d --tools raw,EdgeRecord
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, freemem, totalmem, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { FULL_SIZES, isAvailable, runRounds, WORKLOADS, type Fixture, type Sample, type Sizes, type Tool, type ToolEntry } from "./harness.ts";
import { libsqlSuite } from "./libsql.ts";
import { postgresSuite } from "./postgres.ts";
import { table } from "./report.ts";

const { values: args } = parseArgs({
  options: {
    rounds: { type: "string", default: "5" },
    quick: { type: "boolean", default: false },
    only: { type: "string" },
    workloads: { type: "string" },
    tools: { type: "string" },
    out: { type: "string" },
    url: { type: "string", default: process.env["BENCH_POSTGRES_URL"] ?? "postgres://postgres@127.0.0.1:5432/test" },
  },
});

const quick = args.quick;
const rounds = quick ? 2 : Number(args.rounds);
const sizes: Sizes = quick
  ? { insertOne: 200, bulk: 2000, finds: 500, updates: 200, filtered: 200, selects: 2 }
  : FULL_SIZES;
const workloads = args.workloads ? WORKLOADS.filter((w) => args.workloads!.split(",").includes(w.key)) : WORKLOADS;
const toolFilter = args.tools?.split(",").map((s) => s.toLowerCase());
const keep = (entry: ToolEntry) => !toolFilter || toolFilter.some((f) => entry.name.toLowerCase().includes(f));
const log = (line: string) => process.stderr.write(`${line}\n`);

interface Suite {
  tools: ToolEntry[];
  fixture: Fixture;
  cleanup(): Promise<void>;
}

async function measure(backend: string, suite: Suite, raw: string): Promise<string> {
  const entries = suite.tools.filter(keep);
  const tools = entries.filter(isAvailable);
  const opened: Tool[] = [];
  try {
    for (const tool of tools) {
      await tool.open();
      opened.push(tool);
    }
    const samples: Sample[] = await runRounds(tools, suite.fixture, { rounds, sizes, workloads, log });
    return table(backend, entries, workloads, samples, raw);
  } finally {
    for (const tool of opened) await tool.close().catch(() => undefined);
    await suite.cleanup();
  }
}

function versions(): string {
  const names = ["@libsql/client", "libsql", "postgres", "drizzle-orm", "kysely", "@libsql/kysely-libsql", "kysely-postgres-js", "typeorm", "pg"];
  const lock = JSON.parse(readFileSync(new URL("../package-lock.json", import.meta.url), "utf8")) as { packages: Record<string, { version?: string }> };
  const self = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  return [`edgerecord ${self.version} (this tree)`, ...names.map((n) => `${n} ${lock.packages[`node_modules/${n}`]?.version ?? "?"}`)].join(", ");
}

const sections: string[] = [];
if (!args.only || args.only === "libsql") {
  sections.push(await measure("libSQL (local file, WAL)", await libsqlSuite(join(tmpdir(), `edgerecord-bench-${process.pid}`)), "@libsql/client (raw)"));
}
if (!args.only || args.only === "postgres") {
  sections.push(await measure("PostgreSQL", await postgresSuite(args.url!), "postgres.js (raw)"));
}

const machine = `${cpus().length} cores (${cpus()[0]?.model ?? "?"}), ${Math.round(totalmem() / 2 ** 30)} GiB memory (${Math.round(freemem() / 2 ** 30)} GiB free), Node ${process.version}, ${process.platform}`;
const header = [
  `Run: ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, ${rounds} rounds after a warm-up, medians; ±: half the min-max range; **ratio**: median over rounds of the tool's ops/s over the raw driver's in the same round.`,
  `Machine: ${machine}.`,
  `Versions: ${versions()}.`,
  `Sizes: ${JSON.stringify(sizes)}.`,
].join("\n\n");
const result = `${header}\n\n${sections.join("\n\n")}\n`;
process.stdout.write(result);

if (!quick && !args.tools && !args.workloads && !args.only) {
  const path = args.out ?? new URL("../docs/benchmarks.md", import.meta.url).pathname;
  const doc = readFileSync(new URL("./notes.md", import.meta.url), "utf8").replace("<!-- results -->", result);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, doc);
  log(`wrote ${path}`);
}
