/**
 * One tool, one workload, in a loop: for `node --cpu-prof` or a quick timer
 * while working on a hot path (not part of `npm run bench`).
 *
 *   npx tsx --conditions=source bench/profile.ts c [EdgeRecord|raw|...] [seconds] [libsql|postgres]
 *   node --cpu-prof --import tsx --conditions=source bench/profile.ts g EdgeRecord 10 postgres
 *
 * The tool is matched by name ("raw", "EdgeRecord", "listener"...): the
 * first whose name contains it. g (withCount) fills its authors and posts once.
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ALL_WORKLOADS, FULL_SIZES, isAvailable, makeRows } from "./harness.ts";

const [key = "c", toolName = "EdgeRecord", seconds = "5", backend = "libsql"] = process.argv.slice(2);
const workload = ALL_WORKLOADS.find((w) => w.key === key)!;
const suite =
  backend === "postgres"
    ? await (await import("./postgres.ts")).postgresSuite(process.env["BENCH_POSTGRES_URL"] ?? "postgres://postgres@127.0.0.1:5432/test")
    : await (await import("./libsql.ts")).libsqlSuite(join(tmpdir(), `edgerecord-profile-${process.pid}`));
const tool = suite.tools.filter(isAvailable).find((t) => t.name.toLowerCase().includes(toolName.toLowerCase()))!;
await tool.open();
const rows = makeRows(FULL_SIZES.bulk, 2);
if (workload.needs === "parents") await suite.fixture.fillParents(tool, FULL_SIZES.parents);
else await tool.insertBulk(rows);
const until = performance.now() + Number(seconds) * 1000;
const rates: number[] = [];
while (performance.now() < until) {
  if (workload.needs === "empty") {
    await suite.fixture.reset(tool);
  }
  const started = performance.now();
  const ops = await workload.run(tool, FULL_SIZES);
  rates.push(ops / ((performance.now() - started) / 1000));
  if (workload.needs === "empty") {
    await suite.fixture.reset(tool);
    await tool.insertBulk(rows);
  }
}
rates.sort((a, b) => a - b);
console.log(`${tool.name} ${workload.key}: median ${Math.round(rates[rates.length >> 1]!)} ops/s over ${rates.length} runs`);
await tool.close();
await suite.cleanup();
