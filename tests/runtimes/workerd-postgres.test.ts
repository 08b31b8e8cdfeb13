/**
 * The shared scenario in workerd (Miniflare, `nodejs_compat`) on PostgreSQL
 * through postgres.js, which opens its socket with `cloudflare:sockets` there.
 * The Worker's entry is written here, with this run's database and schema in it.
 */
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decoratorMode } from "../support/mode.ts";
import { createTestSchema, type TestSchema } from "../support/postgres.ts";
import { expectedReport } from "./expected.ts";
import { bundle, workerOptions } from "./support/bundle.ts";

const worker = (db: TestSchema) => `
import { PostgresBackend } from "./src/backend/postgres/index.ts";
import { runScenario } from "./tests/runtimes/scenario.ts";
export default {
  async fetch() {
    const backend = new PostgresBackend(${JSON.stringify({ ...db.config, max: 1 })});
    try {
      return Response.json(await runScenario(backend, "workerd"));
    } catch (error) {
      return new Response(String(error?.stack ?? error), { status: 500 });
    } finally {
      await backend.disconnect();
    }
  },
};`;

describe(`runtime: workerd + PostgreSQL (${decoratorMode})`, () => {
  let mf: Miniflare | undefined;
  let db: TestSchema;
  beforeAll(async () => {
    db = await createTestSchema();
  });
  afterAll(async () => {
    await mf?.dispose();
    await db?.drop();
  });

  it("runs the shared scenario as a bundled Worker on PostgreSQL via postgres.js", async () => {
    mf = new Miniflare({ ...workerOptions, script: await bundle({ source: worker(db) }, decoratorMode) });
    const response = await mf.dispatchFetch("http://worker/");
    const body = await response.text();
    expect(response.status, body).toBe(200);
    expect(JSON.parse(body)).toEqual(expectedReport({ runtime: "workerd", decorators: decoratorMode, transactions: "nested" }));
  }, 90_000);
});
