/**
 * The benchmark's shared parts: the data every tool gets, the workloads, the
 * interface a tool implements, and the interleaved timing loop. Each tool owns
 * its table (same DDL for all), so tools never see each other's rows.
 */

/** One row as the workloads produce it: every tool is given the same values. */
export interface UserInput {
  name: string;
  email: string;
  age: number;
  createdAt: Date;
}

/** What a tool implements: one method per workload, each doing one unit of work with that tool's idiomatic API. */
export interface Tool {
  readonly name: string;
  /** Its own table (and, on libSQL, its own database file). */
  readonly table: string;
  /** Connects; the table already exists. */
  open(): Promise<void>;
  close(): Promise<void>;
  /** a. one INSERT of one row. */
  insertOne(row: UserInput): Promise<void>;
  /** b. all the rows, with the tool's best bulk API. */
  insertBulk(rows: readonly UserInput[]): Promise<void>;
  /** c. one row by primary key, as an object. */
  findById(id: number): Promise<unknown>;
  /** d. every row, as objects. */
  selectAll(): Promise<readonly unknown[]>;
  /** e. UPDATE ... SET age WHERE id. */
  updateAge(id: number, age: number): Promise<void>;
  /** f. `age >= 30 AND name LIKE 'a%' ORDER BY age DESC LIMIT 50`. */
  filtered(): Promise<readonly unknown[]>;
  /** g. every author with the number of their posts (`withCount`, or the hand-written grouped query), as objects. Optional: peers skip g. */
  withCounts?(): Promise<readonly unknown[]>;
  /** The posts count of one row `withCounts()` returned: g checks the sum (a few µs per 10,000 rows, the same for every tool). */
  postsCountOf?(row: unknown): number;
}

/** A tool that could not be set up (e.g. a backend not merged yet): reported as a row with the reason. */
export interface Unavailable {
  readonly name: string;
  readonly unavailable: string;
}

export type ToolEntry = Tool | Unavailable;

export function isAvailable(entry: ToolEntry): entry is Tool {
  return !("unavailable" in entry);
}

export interface Sizes {
  insertOne: number;
  bulk: number;
  finds: number;
  updates: number;
  filtered: number;
  /** How many times d reads every row per sample: one read of 10,000 rows is a single ~20 ms call, too short to time alone. */
  selects: number;
  /** g: how many authors (each with `i % 11` posts: ~5 on average, some none). */
  parents: number;
  /** g: how many times the authors are read with their counts per sample. */
  countReads: number;
}

export const FULL_SIZES: Sizes = { insertOne: 2000, bulk: 10_000, finds: 5000, updates: 2000, filtered: 2000, selects: 10, parents: 10_000, countReads: 5 };

/** g's tables beside a tool's users table: `bench_authors_<tool>` and `bench_posts_<tool>`. */
export function parentTables(usersTable: string): { authors: string; posts: string } {
  return { authors: usersTable.replace(/^bench_users_/, "bench_authors_"), posts: usersTable.replace(/^bench_users_/, "bench_posts_") };
}

/**
 * g by hand: the counts grouped once (`GROUP BY author_id` over posts) and
 * joined to the authors, the "grouped query" issue #16 names. On this data
 * (10,000 authors, ~50,000 posts, an index on posts.author_id) the other two
 * spellings, `LEFT JOIN posts ... GROUP BY a.id` and a correlated
 * `(SELECT COUNT(*) ...)` per author (EdgeRecord's), take within ~15% of it
 * for the statement alone, on both engines (docs/benchmarks.md).
 */
export function groupedCountSql(usersTable: string, cast = ""): string {
  const { authors, posts } = parentTables(usersTable);
  return (
    `SELECT a.*, COALESCE(c.n, 0) AS posts_count FROM "${authors}" a ` +
    `LEFT JOIN (SELECT "author_id", COUNT(*)${cast} AS n FROM "${posts}" GROUP BY "author_id") c ON c."author_id" = a."id"`
  );
}

/** Author i (1..n) has `i % 11` posts (0 to 10, ~5 on average); the fixtures fill them so, in rounds (post ids cycle through the authors). */
export function expectedPosts(parents: number): number {
  let total = 0;
  for (let i = 1; i <= parents; i++) total += i % 11;
  return total;
}

/** Deterministic pseudo-random numbers (mulberry32), so every tool and every run gets the same data. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function makeRows(count: number, seed: number): UserInput[] {
  const next = random(seed);
  const letters = "abcdefghijklmnopqrstuvwxyz";
  const base = Date.UTC(2024, 0, 1);
  return Array.from({ length: count }, (_, i) => {
    let name = "";
    for (let k = 0; k < 8; k++) name += letters[Math.floor(next() * 26)];
    return {
      name,
      email: `${name}.${seed}.${i}@example.com`,
      age: 18 + Math.floor(next() * 62),
      createdAt: new Date(base + Math.floor(next() * 365 * 86_400_000)),
    };
  });
}

export interface Workload {
  readonly key: string;
  readonly title: string;
  /** What one "op" is, for the table's header. */
  readonly unit: string;
  /** "empty": the table is recreated before; "full": it holds `sizes.bulk` rows (ids 1..n); "parents": the authors and posts tables are filled (once per process). */
  readonly needs: "empty" | "full" | "parents";
  /** Runs the workload once; returns how many ops it did. */
  run(tool: Tool, sizes: Sizes): Promise<number>;
}

export const WORKLOADS: readonly Workload[] = [
  {
    key: "a",
    title: "a. insert one row",
    unit: "rows/s",
    needs: "empty",
    async run(tool, sizes) {
      const rows = makeRows(sizes.insertOne, 1);
      for (const row of rows) await tool.insertOne(row);
      return rows.length;
    },
  },
  {
    key: "b",
    title: "b. bulk insert",
    unit: "rows/s",
    needs: "empty",
    async run(tool, sizes) {
      const rows = makeRows(sizes.bulk, 2);
      await tool.insertBulk(rows);
      return rows.length;
    },
  },
  {
    key: "c",
    title: "c. find by primary key",
    unit: "lookups/s",
    needs: "full",
    async run(tool, sizes) {
      const next = random(3);
      for (let i = 0; i < sizes.finds; i++) {
        const found = await tool.findById(1 + Math.floor(next() * sizes.bulk));
        if (!found) throw new Error(`${tool.name}: findById found nothing`);
      }
      return sizes.finds;
    },
  },
  {
    key: "d",
    title: "d. select all rows into objects",
    unit: "rows/s",
    needs: "full",
    async run(tool, sizes) {
      let total = 0;
      for (let i = 0; i < sizes.selects; i++) {
        const rows = await tool.selectAll();
        if (rows.length !== sizes.bulk) throw new Error(`${tool.name}: selectAll gave ${rows.length} rows, expected ${sizes.bulk}`);
        total += rows.length;
      }
      return total;
    },
  },
  {
    key: "e",
    title: "e. update one row by primary key",
    unit: "updates/s",
    needs: "full",
    async run(tool, sizes) {
      const next = random(5);
      for (let i = 0; i < sizes.updates; i++) await tool.updateAge(1 + Math.floor(next() * sizes.bulk), 18 + Math.floor(next() * 62));
      return sizes.updates;
    },
  },
  {
    key: "f",
    title: "f. filtered query (age >= 30, name LIKE 'a%', order by age desc, limit 50)",
    unit: "queries/s",
    needs: "full",
    async run(tool, sizes) {
      for (let i = 0; i < sizes.filtered; i++) {
        const rows = await tool.filtered();
        if (rows.length === 0) throw new Error(`${tool.name}: filtered query found nothing`);
      }
      return sizes.filtered;
    },
  },
];

/** g: relation counts on 10,000 parents (issue #16). Run with `npm run bench -- --set counts`. */
export const COUNT_WORKLOAD: Workload = {
  key: "g",
  title: "g. every author with their posts counted (withCount)",
  unit: "authors/s",
  needs: "parents",
  async run(tool, sizes) {
    if (!tool.withCounts || !tool.postsCountOf) throw new Error(`${tool.name}: no withCounts()`);
    const expected = expectedPosts(sizes.parents);
    let total = 0;
    for (let i = 0; i < sizes.countReads; i++) {
      const rows = await tool.withCounts();
      if (rows.length !== sizes.parents) throw new Error(`${tool.name}: withCounts gave ${rows.length} authors, expected ${sizes.parents}`);
      let posts = 0;
      for (const row of rows) posts += tool.postsCountOf(row);
      if (posts !== expected) throw new Error(`${tool.name}: withCounts counted ${posts} posts, expected ${expected}`);
      total += rows.length;
    }
    return total;
  },
};

/** Every workload by key, for `--workloads` and the per-process runner. */
export const ALL_WORKLOADS: readonly Workload[] = [...WORKLOADS, COUNT_WORKLOAD];

/** Per backend, untimed: creates each tool's table, empties it between workloads, drops it at the end. */
export interface Fixture {
  /** Empties the table and restarts its ids at 1. */
  reset(tool: Tool): Promise<void>;
  /** g: (re)creates the tool's authors and posts tables with `parents` authors and their posts (see `expectedPosts`). */
  fillParents(tool: Tool, parents: number): Promise<void>;
}

export interface Sample {
  round: number;
  tool: string;
  workload: string;
  opsPerSecond: number;
  /** CPU time (user + system) this process spent per op, in µs: the tool's own per-call cost, whatever the server's latency. */
  cpuMicrosPerOp?: number;
}

export interface RunOptions {
  rounds: number;
  sizes: Sizes;
  workloads: readonly Workload[];
  log: (line: string) => void;
}

/**
 * Rounds of every workload; within a workload the tools take turns, in an
 * order rotated each round so none always runs first (warm caches, a busy
 * neighbour). Round 0 is a warm-up whose samples are dropped.
 */
export async function runRounds(tools: readonly Tool[], fixture: Fixture, options: RunOptions): Promise<Sample[]> {
  const samples: Sample[] = [];
  const fillRows = makeRows(options.sizes.bulk, 2);
  // Whether each tool's table holds exactly the fill rows (ids 1..n), as the read workloads need.
  const full = new Map<Tool, boolean>();
  const parents = new Set<Tool>();
  for (let round = 0; round <= options.rounds; round++) {
    const order = tools.map((_, i) => tools[(i + round) % tools.length]!);
    for (const workload of options.workloads) {
      for (const tool of order) {
        if (workload.needs === "parents") {
          if (!tool.withCounts) continue;
          if (!parents.has(tool)) await fixture.fillParents(tool, options.sizes.parents);
          parents.add(tool);
        } else if (workload.needs === "empty") await fixture.reset(tool);
        else if (!full.get(tool)) {
          await fixture.reset(tool);
          await tool.insertBulk(fillRows);
        }
        maybeGc();
        const cpu = process.cpuUsage();
        const started = performance.now();
        const ops = await workload.run(tool, options.sizes);
        const seconds = (performance.now() - started) / 1000;
        const used = process.cpuUsage(cpu);
        // A bulk insert into a fresh table leaves exactly the fill rows; a single-row run leaves too few.
        if (workload.needs !== "parents") full.set(tool, workload.key === "b" || workload.needs === "full");
        if (round > 0) samples.push({ round, tool: tool.name, workload: workload.key, opsPerSecond: ops / seconds, cpuMicrosPerOp: (used.user + used.system) / ops });
        options.log(`${round === 0 ? "warm-up" : `round ${round}`} ${workload.key} ${tool.name}: ${Math.round(ops / seconds)} ops/s`);
      }
    }
  }
  return samples;
}

export interface ToolRunOptions {
  sizes: Sizes;
  workloads: readonly Workload[];
  /** Untimed runs of each workload before the timed one (JIT warm-up inside a fresh process). */
  warmups: number;
  log: (line: string) => void;
}

/**
 * One tool alone, as a process of its own runs it: each workload `warmups`
 * times untimed, then once timed. Returns a sample per workload (round 0:
 * the caller numbers rounds).
 */
export async function runTool(tool: Tool, fixture: Fixture, options: ToolRunOptions): Promise<Sample[]> {
  const samples: Sample[] = [];
  const fillRows = makeRows(options.sizes.bulk, 2);
  let full = false;
  let parents = false;
  for (const workload of options.workloads) {
    if (workload.needs === "parents" && !tool.withCounts) continue; // a peer without withCounts(): no sample, "-" in the table
    for (let i = 0; i <= options.warmups; i++) {
      if (workload.needs === "parents") {
        if (!parents) await fixture.fillParents(tool, options.sizes.parents);
        parents = true;
      } else if (workload.needs === "empty") await fixture.reset(tool);
      else if (!full) {
        await fixture.reset(tool);
        await tool.insertBulk(fillRows);
      }
      maybeGc();
      const cpu = process.cpuUsage();
      const started = performance.now();
      const ops = await workload.run(tool, options.sizes);
      const seconds = (performance.now() - started) / 1000;
      const used = process.cpuUsage(cpu);
      if (workload.needs !== "parents") full = workload.key === "b" || workload.needs === "full";
      if (i === options.warmups) {
        samples.push({ round: 0, tool: tool.name, workload: workload.key, opsPerSecond: ops / seconds, cpuMicrosPerOp: (used.user + used.system) / ops });
      }
      options.log(`${i < options.warmups ? "  warm-up" : "  timed"} ${workload.key} ${tool.name}: ${Math.round(ops / seconds)} ops/s, ${((used.user + used.system) / ops).toFixed(1)} µs CPU/op`);
    }
  }
  return samples;
}

/** Collect garbage between timed runs when node runs with --expose-gc, so one tool's garbage is not billed to the next. */
function maybeGc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
