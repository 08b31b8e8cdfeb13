/**
 * g's statement alone: the three ways to write "every author with their
 * posts count", timed interleaved in one process (30 timed runs after 10
 * untimed), the rows taken as arrays, on the native `libsql` engine (which
 * EdgeRecord's libSQL backend runs on) and on postgres.js. It says whether
 * the SQL shape matters, apart from what each tool does with the rows
 * (`npm run bench -- --set counts` measures that, a process per tool).
 *
 *   npx tsx --conditions=source bench/count-shapes.ts
 *
 * "correlated" is the shape `withCount` compiles to; "grouped subquery
 * joined" is the hand-written baseline of g (harness.ts groupedCountSql).
 */
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { FULL_SIZES, isAvailable, parentTables, type Tool } from "./harness.ts";
import { libsqlSuite } from "./libsql.ts";
import { postgresSuite } from "./postgres.ts";
import { median } from "./report.ts";

const url = process.env["BENCH_POSTGRES_URL"] ?? "postgres://postgres@127.0.0.1:5432/test";

function shapes(usersTable: string, cast: string): Record<string, string> {
  const { authors: a, posts: p } = parentTables(usersTable);
  return {
    correlated: `SELECT a.*, (SELECT COUNT(*)${cast} FROM "${p}" p WHERE p."author_id" = a."id") AS posts_count FROM "${a}" a`,
    "join + group by": `SELECT a."id", a."name", a."email", COUNT(p."id")${cast} AS posts_count FROM "${a}" a LEFT JOIN "${p}" p ON p."author_id" = a."id" GROUP BY a."id"`,
    "grouped subquery joined": `SELECT a.*, COALESCE(c.n, 0) AS posts_count FROM "${a}" a LEFT JOIN (SELECT "author_id", COUNT(*)${cast} AS n FROM "${p}" GROUP BY "author_id") c ON c."author_id" = a."id"`,
  };
}

async function measure(engine: string, runs: [string, () => unknown][]): Promise<void> {
  const times = new Map<string, number[]>();
  for (let round = 0; round < 40; round++) {
    for (const [name, run] of runs) {
      const started = performance.now();
      await run();
      if (round >= 10) times.set(name, [...(times.get(name) ?? []), performance.now() - started]);
    }
  }
  const base = median(times.get("grouped subquery joined")!);
  for (const [name, v] of times) {
    console.log(`| ${engine} | ${name} | ${median(v).toFixed(1)} ms (${Math.min(...v).toFixed(1)}–${Math.max(...v).toFixed(1)}) | ${(median(v) / base).toFixed(2)}x |`);
  }
}

console.log(`| engine | ${FULL_SIZES.parents} authors with their posts count | median (min–max) | time / grouped subquery |`);
console.log("| --- | --- | ---: | ---: |");
const dir = join(tmpdir(), `edgerecord-count-shapes-${process.pid}`);
const lite = await libsqlSuite(dir, ["raw"]);
try {
  const tool = lite.tools.filter(isAvailable)[0] as Tool;
  await lite.fixture.fillParents(tool, FULL_SIZES.parents);
  const db = new (createRequire(import.meta.url)("libsql"))(join(dir, `${tool.table}.db`));
  await measure(
    "SQLite (native libsql)",
    Object.entries(shapes(tool.table, "")).map(([name, sql]) => {
      const statement = db.prepare(sql).raw(true);
      return [name, () => statement.all()];
    }),
  );
  db.close();
} finally {
  await lite.cleanup();
}
const pg = await postgresSuite(url, ["raw"]);
const sql = postgres(url, { max: 1, onnotice: () => undefined });
try {
  const tool = pg.tools.filter(isAvailable)[0] as Tool;
  await pg.fixture.fillParents(tool, FULL_SIZES.parents);
  await measure("PostgreSQL (postgres.js)", Object.entries(shapes(tool.table, "::int")).map(([name, text]) => [name, () => sql.unsafe(text, [], { prepare: true }).values()]));
} finally {
  await sql.end();
  await pg.cleanup();
}
