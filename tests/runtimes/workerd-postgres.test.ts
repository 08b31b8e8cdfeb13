/**
 * The shared scenario in workerd (Miniflare, `nodejs_compat`) on PostgreSQL
 * at 127.0.0.1:5432 through postgres.js, which opens its socket with
 * `cloudflare:sockets` there. The PostgreSQL backend is built on branch `pg`;
 * until it is on this branch the test is skipped and says so in its name, and
 * it runs by itself once `src/backend/postgres` exists. The Worker's entry is
 * written here, not as a file, so the type check does not need the backend.
 * Each decorator mode works in its own schema, so the two runs never share tables.
 */
import { existsSync } from "node:fs";
import { Miniflare } from "miniflare";
import { afterAll, describe, expect, it } from "vitest";
import { decoratorMode } from "../support/mode.ts";
import { expectedReport } from "./expected.ts";
import { bundle, workerOptions } from "./support/bundle.ts";
import { repoRoot } from "./support/child.ts";

const hasBackend = existsSync(`${repoRoot}src/backend/postgres/index.ts`);
const url = process.env.EDGERECORD_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const schema = `edgerecord_runtime_${decoratorMode}`;

const worker = `
import { PostgresBackend } from "./src/backend/postgres/index.ts";
import { runScenario } from "./tests/runtimes/scenario.ts";
export default {
  async fetch() {
    const backend = new PostgresBackend({ url: ${JSON.stringify(url)}, max: 1, connection: { search_path: ${JSON.stringify(schema)} } });
    try {
      await backend.execute({ sql: ${JSON.stringify(`CREATE SCHEMA IF NOT EXISTS ${schema}`)}, params: [] });
      return Response.json(await runScenario(backend, "workerd"));
    } catch (error) {
      return new Response(String(error?.stack ?? error), { status: 500 });
    } finally {
      await backend.disconnect();
    }
  },
};`;

const title = hasBackend
  ? "runs the shared scenario as a bundled Worker on PostgreSQL via postgres.js"
  : "runs the shared scenario on PostgreSQL in workerd (SKIPPED: src/backend/postgres is not on this branch yet; it comes with branch pg)";

// A skip must be seen: say it on stderr too, which vitest prints even when its reporter lists only files.
if (!hasBackend) console.warn(`SKIPPED workerd + PostgreSQL (${decoratorMode}): src/backend/postgres is not on this branch yet (branch pg)`);

describe(`runtime: workerd + PostgreSQL (${decoratorMode})`, () => {
  let mf: Miniflare | undefined;
  afterAll(() => mf?.dispose());

  it.skipIf(!hasBackend)(title, async () => {
    mf = new Miniflare({ ...workerOptions, script: await bundle({ source: worker }, decoratorMode) });
    const response = await mf.dispatchFetch("http://worker/");
    const body = await response.text();
    expect(response.status, body).toBe(200);
    expect(JSON.parse(body)).toEqual(expectedReport({ runtime: "workerd", decorators: decoratorMode, transactions: "nested" }));
  }, 90_000);
});
