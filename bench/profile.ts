/**
 * One tool, one workload, in a loop: for `node --cpu-prof` or a quick timer
 * while working on a hot path (not part of `npm run bench`).
 *
 *   npx tsx --conditions=source bench/profile.ts c [EdgeRecord|raw|...] [seconds]
 *   node --cpu-prof --import tsx --conditions=source bench/profile.ts c
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FULL_SIZES, isAvailable, WORKLOADS } from "./harness.ts";
import { libsqlSuite } from "./libsql.ts";

const [key = "c", toolName = "EdgeRecord", seconds = "5"] = process.argv.slice(2);
const workload = WORKLOADS.find((w) => w.key === key)!;
const suite = await libsqlSuite(join(tmpdir(), `edgerecord-profile-${process.pid}`));
const tool = suite.tools.filter(isAvailable).find((t) => t.name.toLowerCase().includes(toolName.toLowerCase()))!;
await tool.open();
const rows = (await import("./harness.ts")).makeRows(FULL_SIZES.bulk, 2);
await tool.insertBulk(rows);
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
