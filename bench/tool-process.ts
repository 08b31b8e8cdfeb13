/**
 * One tool in a process of its own, as an application runs one ORM: started
 * by bench/run.ts once per tool per round. It sets up the tool's table, opens
 * the tool (timed: pool or connection setup), runs each workload `--warmups`
 * times untimed and once timed, and prints one JSON line for run.ts.
 *
 *   node --expose-gc --conditions=source --import tsx bench/tool-process.ts \
 *     --backend postgres --tool edgerecord --workloads a,b,c --sizes '{...}'
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ALL_WORKLOADS, FULL_SIZES, isAvailable, runTool, WORKLOADS, type Sizes } from "./harness.ts";

const { values: args } = parseArgs({
  options: {
    backend: { type: "string", default: "libsql" },
    tool: { type: "string", default: "raw" },
    workloads: { type: "string" },
    sizes: { type: "string" },
    warmups: { type: "string", default: "1" },
    dir: { type: "string" },
    url: { type: "string", default: process.env["BENCH_POSTGRES_URL"] ?? "postgres://postgres@127.0.0.1:5432/test" },
    verbose: { type: "boolean", default: false },
  },
});

const sizes: Sizes = args.sizes ? (JSON.parse(args.sizes) as Sizes) : FULL_SIZES;
const workloads = args.workloads ? ALL_WORKLOADS.filter((w) => args.workloads!.split(",").includes(w.key)) : WORKLOADS;
const log = args.verbose ? (line: string) => process.stderr.write(`${line}\n`) : () => undefined;

const suite =
  args.backend === "postgres"
    ? await (await import("./postgres.ts")).postgresSuite(args.url!, [args.tool!])
    : await (await import("./libsql.ts")).libsqlSuite(args.dir ?? join(tmpdir(), `edgerecord-bench-${process.pid}`), [args.tool!]);
const entry = suite.tools[0]!;
if (!isAvailable(entry)) {
  process.stdout.write(`${JSON.stringify({ tool: entry.name, unavailable: entry.unavailable })}\n`);
} else {
  try {
    const started = performance.now();
    await entry.open();
    const openMs = performance.now() - started;
    const samples = await runTool(entry, suite.fixture, { sizes, workloads, warmups: Number(args.warmups), log });
    process.stdout.write(`${JSON.stringify({ tool: entry.name, openMs, samples })}\n`);
  } finally {
    await entry.close().catch(() => undefined);
  }
}
await suite.cleanup();
