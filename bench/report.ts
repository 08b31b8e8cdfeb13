/** Medians, spread and the markdown table. */
import type { Sample, ToolEntry, Workload } from "./harness.ts";

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Half the range between the lowest and highest sample, relative to the median: a plain "±" for a noisy machine. */
function spread(values: readonly number[]): number {
  const m = median(values);
  return m ? (Math.max(...values) - Math.min(...values)) / 2 / m : 0;
}

function format(n: number): string {
  if (n >= 100_000) return `${Math.round(n / 1000)}k`;
  if (n >= 10_000) return `${(n / 1000).toFixed(1)}k`;
  return String(Math.round(n));
}

/**
 * The median over rounds of the tool's speed over the raw driver's in the
 * same round: a busy neighbour slows both sides of a round alike, so this
 * is steadier than a ratio of medians on a shared machine.
 */
function ratio(samples: readonly Sample[], tool: string, raw: string, workload: string): number {
  const perRound = samples
    .filter((s) => s.tool === tool && s.workload === workload)
    .map((s) => s.opsPerSecond / (samples.find((r) => r.tool === raw && r.workload === workload && r.round === s.round)?.opsPerSecond ?? Number.NaN));
  return median(perRound);
}

/** One table per backend: a column per workload, ops/s ±spread and the ratio to the raw driver. */
export function table(backend: string, entries: readonly ToolEntry[], workloads: readonly Workload[], samples: readonly Sample[], raw: string): string {
  const of = (tool: string, workload: string) => samples.filter((s) => s.tool === tool && s.workload === workload).map((s) => s.opsPerSecond);
  const lines = [
    `### ${backend}`,
    "",
    `| tool | ${workloads.map((w) => `${w.title} (${w.unit})`).join(" | ")} |`,
    `| --- | ${workloads.map(() => "---:").join(" | ")} |`,
  ];
  for (const entry of entries) {
    if ("unavailable" in entry) {
      lines.push(`| ${entry.name} | ${workloads.map(() => "n/a").join(" | ")} |`);
      continue;
    }
    const cells = workloads.map((w) => {
      const values = of(entry.name, w.key);
      if (!values.length) return "-";
      return `${format(median(values))} ±${Math.round(spread(values) * 100)}% **${ratio(samples, entry.name, raw, w.key).toFixed(2)}x**`;
    });
    lines.push(`| ${entry.name} | ${cells.join(" | ")} |`);
  }
  const missing = entries.filter((e) => "unavailable" in e);
  for (const entry of missing) lines.push("", `${entry.name}: not measured (${(entry as { unavailable: string }).unavailable}).`);
  return lines.join("\n");
}
