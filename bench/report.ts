/** Medians, spread and the markdown table. */
import type { Sample, ToolEntry, Workload } from "./harness.ts";

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function format(n: number): string {
  if (n >= 100_000) return `${Math.round(n / 1000)}k`;
  if (n >= 10_000) return `${(n / 1000).toFixed(1)}k`;
  return String(Math.round(n));
}

/**
 * The tool's speed over the raw driver's in the same round, one value per
 * round: a busy neighbour slows both sides of a round alike, so their median
 * is steadier than a ratio of medians on a shared machine.
 */
export function ratios(samples: readonly Sample[], tool: string, raw: string, workload: string): number[] {
  return samples
    .filter((s) => s.tool === tool && s.workload === workload)
    .map((s) => s.opsPerSecond / (samples.find((r) => r.tool === raw && r.workload === workload && r.round === s.round)?.opsPerSecond ?? Number.NaN))
    .filter((r) => Number.isFinite(r));
}

/**
 * One table per backend: a column per workload; each cell is the median
 * ops/s, then the median ratio to the raw driver in bold and the lowest and
 * highest per-round ratio (the spread). `extra` adds columns per tool (e.g.
 * connection setup time).
 */
export function table(
  backend: string,
  entries: readonly ToolEntry[],
  workloads: readonly Workload[],
  samples: readonly Sample[],
  raw: string,
  extra: { title: string; cell(tool: string): string }[] = [],
): string {
  const of = (tool: string, workload: string) => samples.filter((s) => s.tool === tool && s.workload === workload).map((s) => s.opsPerSecond);
  const lines = [
    `### ${backend}`,
    "",
    `| tool | ${workloads.map((w) => `${w.title} (${w.unit})`).join(" | ")}${extra.map((e) => ` | ${e.title}`).join("")} |`,
    `| --- | ${workloads.map(() => "---:").join(" | ")}${extra.map(() => " | ---:").join("")} |`,
  ];
  for (const entry of entries) {
    if ("unavailable" in entry) {
      lines.push(`| ${entry.name} | ${workloads.map(() => "n/a").join(" | ")}${extra.map(() => " | n/a").join("")} |`);
      continue;
    }
    const cells = workloads.map((w) => {
      const values = of(entry.name, w.key);
      if (!values.length) return "-";
      if (entry.name === raw) return `${format(median(values))} **1.00x**`;
      const r = ratios(samples, entry.name, raw, w.key);
      return `${format(median(values))} **${median(r).toFixed(2)}x** ${Math.min(...r).toFixed(2)}–${Math.max(...r).toFixed(2)}`;
    });
    lines.push(`| ${entry.name} | ${cells.join(" | ")}${extra.map((e) => ` | ${e.cell(entry.name)}`).join("")} |`);
  }
  const missing = entries.filter((e) => "unavailable" in e);
  for (const entry of missing) lines.push("", `${entry.name}: not measured (${(entry as { unavailable: string }).unavailable}).`);
  return lines.join("\n");
}

/**
 * Client CPU per op (µs, user + system of the tool's process), median, and
 * the ratio to the raw driver's in the same round (lower is cheaper; this is
 * the inverse sense of the speed ratios). It separates what a tool costs per
 * call from the server's and the machine's latency, which a shared machine
 * makes noisy.
 */
export function cpuTable(backend: string, entries: readonly ToolEntry[], workloads: readonly Workload[], samples: readonly Sample[], raw: string): string {
  const lines = [
    `#### ${backend}: client CPU per op (µs; ratio to the raw driver in the same round, min–max)`,
    "",
    `| tool | ${workloads.map((w) => w.key).join(" | ")} |`,
    `| --- | ${workloads.map(() => "---:").join(" | ")} |`,
  ];
  for (const entry of entries) {
    if ("unavailable" in entry) continue;
    const cells = workloads.map((w) => {
      const mine = samples.filter((s) => s.tool === entry.name && s.workload === w.key && s.cpuMicrosPerOp !== undefined);
      if (!mine.length) return "-";
      const value = median(mine.map((s) => s.cpuMicrosPerOp!));
      if (entry.name === raw) return value.toFixed(1);
      const r = mine
        .map((s) => s.cpuMicrosPerOp! / (samples.find((b) => b.tool === raw && b.workload === w.key && b.round === s.round)?.cpuMicrosPerOp ?? Number.NaN))
        .filter((x) => Number.isFinite(x));
      return r.length ? `${value.toFixed(1)} **${median(r).toFixed(2)}x** ${Math.min(...r).toFixed(2)}–${Math.max(...r).toFixed(2)}` : value.toFixed(1);
    });
    lines.push(`| ${entry.name} | ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}

/**
 * Two tools against each other, round by round: per workload the median
 * ops/s of each, the median of `a`'s speed over `b`'s in the same round
 * (min–max), and the same for client CPU per op (above 1.00x: `a` costs
 * more). For variants of one tool, such as EdgeRecord with and without a
 * query listener, where the raw driver's ratio would add its own noise.
 */
export function pairTable(title: string, workloads: readonly Workload[], samples: readonly Sample[], a: string, b: string): string {
  const lines = [
    `#### ${title}`,
    "",
    "| workload | ops/s with | without | speed, with / without | CPU µs/op with | without | CPU, with / without |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  const spread = (r: number[]) => (r.length ? `**${median(r).toFixed(3)}x** ${Math.min(...r).toFixed(3)}–${Math.max(...r).toFixed(3)}` : "-");
  for (const w of workloads) {
    const mine = samples.filter((s) => s.tool === a && s.workload === w.key);
    const theirs = samples.filter((s) => s.tool === b && s.workload === w.key);
    if (!mine.length || !theirs.length) continue;
    const speed: number[] = [];
    const cpu: number[] = [];
    for (const s of mine) {
      const other = theirs.find((t) => t.round === s.round);
      if (!other) continue;
      speed.push(s.opsPerSecond / other.opsPerSecond);
      if (s.cpuMicrosPerOp !== undefined && other.cpuMicrosPerOp !== undefined) cpu.push(s.cpuMicrosPerOp / other.cpuMicrosPerOp);
    }
    const ops = (list: Sample[]) => format(median(list.map((s) => s.opsPerSecond)));
    const micros = (list: Sample[]) => median(list.map((s) => s.cpuMicrosPerOp ?? Number.NaN)).toFixed(1);
    lines.push(`| ${w.title} | ${ops(mine)} | ${ops(theirs)} | ${spread(speed)} | ${micros(mine)} | ${micros(theirs)} | ${spread(cpu)} |`);
  }
  return lines.join("\n");
}
