/**
 * What query events cost EdgeRecord, per process: three variants, each in a
 * fresh Node process per round (bench/tool-process.ts), taking turns in an
 * order rotated each round:
 *
 * - "no listener": this tree, as an application without a listener runs it;
 * - "listener": this tree with a cheap `ActiveRecord.on("query", ...)` attached;
 * - "events compiled out": a copy of src/ whose `BackendSession.execute`
 *   has no `observing` test at all, as if events did not exist.
 *
 * "no listener" over "events compiled out" is what the no-listener path
 * costs (issue #15: nothing measurable); "listener" over "no listener" is
 * what a listener costs. Prints one markdown table: client CPU per op and
 * speed, the median of the per-round ratios with their lowest and highest.
 *
 *   npx tsx bench/events-overhead.ts                        # libSQL and PostgreSQL, a and c, 15 rounds
 *   npx tsx bench/events-overhead.ts --only libsql --rounds 20 --finds 20000 --inserts 4000
 */
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { FULL_SIZES, type Sample, type Sizes } from "./harness.ts";
import { median } from "./report.ts";

const { values: args } = parseArgs({
  options: {
    rounds: { type: "string", default: "15" },
    only: { type: "string" },
    workloads: { type: "string", default: "a,c" },
    finds: { type: "string", default: "20000" },
    inserts: { type: "string", default: "4000" },
    url: { type: "string", default: process.env["BENCH_POSTGRES_URL"] ?? "postgres://postgres@127.0.0.1:5432/test" },
  },
});

const root = fileURLToPath(new URL("../", import.meta.url));
const sizes: Sizes = { ...FULL_SIZES, finds: Number(args.finds), insertOne: Number(args.inserts) };
const work = join(tmpdir(), `edgerecord-events-overhead-${process.pid}`);

/** The copy with events compiled out: src/ and bench/ side by side (tool-process imports ../src), node_modules linked. */
function compiledOutCopy(): string {
  const copy = join(work, "tree");
  mkdirSync(copy, { recursive: true });
  cpSync(join(root, "src"), join(copy, "src"), { recursive: true });
  mkdirSync(join(copy, "bench"));
  cpSync(join(root, "bench"), join(copy, "bench"), { recursive: true, filter: (path) => !path.includes("node_modules") && !path.includes(".out") });
  cpSync(join(root, "package.json"), join(copy, "package.json"));
  symlinkSync(join(root, "node_modules"), join(copy, "node_modules"));
  symlinkSync(join(root, "bench", "node_modules"), join(copy, "bench", "node_modules"));
  const session = join(copy, "src/transaction/session.ts");
  const text = readFileSync(session, "utf8");
  const hot = "    if (tx || !observing) return (tx ?? this.backend).execute(query);\n    return observe(query, false, () => this.backend.execute(query), this.dialect.name);\n";
  if (!text.includes(hot)) throw new Error("BackendSession.execute changed: update the text bench/events-overhead.ts removes");
  writeFileSync(session, text.replace(hot, "    return (tx ?? this.backend).execute(query);\n").replace('import { observe, observing } from "./events.ts";\n', ""));
  return copy;
}

interface Variant {
  label: string;
  tree: string;
  tool: string;
}

function runOne(backend: string, variant: Variant): Promise<Sample[]> {
  const argv = ["--expose-gc", "--conditions=source", "--import", "tsx", join(variant.tree, "bench/tool-process.ts")];
  argv.push("--backend", backend, "--tool", variant.tool, "--workloads", args.workloads!, "--sizes", JSON.stringify(sizes), "--dir", join(work, variant.tool), "--url", args.url!);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { cwd: variant.tree, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d));
    child.stderr.on("data", (d: Buffer) => (err += d));
    child.on("close", (code) => {
      const line = out.trim().split("\n").pop();
      if (code !== 0 || !line) reject(new Error(`${variant.label} on ${backend} exited ${code}:\n${out}\n${err}`));
      else resolve((JSON.parse(line) as { samples: Sample[] }).samples);
    });
  });
}

const spread = (r: number[]) => `**${median(r).toFixed(3)}x** ${Math.min(...r).toFixed(3)}–${Math.max(...r).toFixed(3)}`;

try {
  const variants: Variant[] = [
    { label: "no listener", tree: root, tool: "edgerecord" },
    { label: "listener", tree: root, tool: "edgerecord_listener" },
    { label: "events compiled out", tree: compiledOutCopy(), tool: "edgerecord" },
  ];
  const rounds = Number(args.rounds);
  console.log(`Each variant in a fresh Node process per round, ${rounds} rounds, order rotated; sizes ${JSON.stringify({ finds: sizes.finds, insertOne: sizes.insertOne })}. Ratios: median of per-round ratios (min–max).\n`);
  console.log("| backend | workload | CPU µs/op: no listener / listener / compiled out | listener over no listener: CPU | speed | no listener over compiled out: CPU | speed |");
  console.log("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
  for (const backend of ["libsql", "postgres"]) {
    if (args.only && args.only !== backend) continue;
    const by = new Map<string, Sample[]>();
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < variants.length; i++) {
        const variant = variants[(i + round) % variants.length]!;
        for (const s of await runOne(backend, variant)) by.set(`${variant.label} ${s.workload}`, [...(by.get(`${variant.label} ${s.workload}`) ?? []), { ...s, round }]);
        process.stderr.write(`${backend} round ${round + 1} ${variant.label}\n`);
      }
    }
    for (const workload of args.workloads!.split(",")) {
      const [plain, heard, none] = variants.map((v) => by.get(`${v.label} ${workload}`)!);
      const ratio = (a: Sample[], b: Sample[], f: (s: Sample) => number) => a.map((s) => f(s) / f(b.find((x) => x.round === s.round)!));
      const cpu = (s: Sample) => s.cpuMicrosPerOp!;
      const speed = (s: Sample) => s.opsPerSecond;
      const micros = [plain!, heard!, none!].map((list) => median(list.map(cpu)).toFixed(1)).join(" / ");
      console.log(
        `| ${backend} | ${workload} | ${micros} | ${spread(ratio(heard!, plain!, cpu))} | ${spread(ratio(heard!, plain!, speed))} | ${spread(ratio(plain!, none!, cpu))} | ${spread(ratio(plain!, none!, speed))} |`,
      );
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
