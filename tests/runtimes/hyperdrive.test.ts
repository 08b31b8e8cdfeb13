/**
 * examples/hyperdrive-worker, bundled as wrangler would and booted in workerd
 * (Miniflare) with its `[[hyperdrive]]` binding: Miniflare's `hyperdrives`
 * option gives the Worker a Hyperdrive connection string
 * (`<uuid>.hyperdrive.local`) that workerd routes to a proxy in front of the
 * local PostgreSQL, here to a fresh test schema. The requests write and read
 * through that binding only.
 */
import { Miniflare } from "miniflare";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PostgresBackend } from "../../src/backend/postgres/index.ts";
import { migrate } from "../../src/migrate/index.ts";
import { migrations } from "../../examples/hyperdrive-worker/migrations.ts";
import { decoratorMode } from "../support/mode.ts";
import { bundle, workerOptions } from "./support/bundle.ts";
import { createHyperdriveDatabase, type HyperdriveDatabase } from "./support/hyperdrive-database.ts";

/** What wrangler.toml beside the example says, with Miniflare's stand-in for the Hyperdrive binding. */
const options = (db: HyperdriveDatabase, script: string) => ({
  modules: true,
  compatibilityDate: workerOptions.compatibilityDate,
  compatibilityFlags: ["nodejs_compat"],
  script,
  hyperdrives: { HYPERDRIVE: db.url },
});

/** The shortcut a Worker cannot take: one pool kept across requests (configure() returns the same backend each time). */
const poolAcrossRequests = `
import { ActiveRecord } from "./src/index.ts";
import { PostgresBackend } from "./src/backend/postgres/index.ts";
export default {
  async fetch(request, env) {
    ActiveRecord.configure({ url: env.HYPERDRIVE.connectionString, max: 5, fetchTypes: false }, PostgresBackend);
    try {
      return Response.json((await ActiveRecord.execute("SELECT count(*)::int AS n FROM notes")).rows[0]);
    } catch (error) {
      return new Response(String(error), { status: 500 });
    }
  },
};`;

describe(`example: Cloudflare Worker on PostgreSQL through Hyperdrive (${decoratorMode})`, () => {
  let mf: Miniflare | undefined;
  let db: HyperdriveDatabase;

  beforeAll(async () => {
    db = await createHyperdriveDatabase();
    // The example's migrations, run from outside the Worker as its README says, as the Worker's role.
    const backend = new PostgresBackend({ url: db.url, max: 1 });
    try {
      await migrate(backend, { migrations });
    } finally {
      await backend.disconnect();
    }
    mf = new Miniflare(options(db, await bundle("examples/hyperdrive-worker/worker.ts", decoratorMode)));
  }, 90_000);

  afterAll(async () => {
    await mf?.dispose();
    await db?.drop();
  });

  const post = async (body: string) => {
    const response = await mf!.dispatchFetch(`http://worker/notes?body=${encodeURIComponent(body)}`, { method: "POST" });
    const text = await response.text();
    expect(response.status, text).toBe(201);
    return JSON.parse(text) as { id: number; body: string; createdAt: string };
  };
  const list = async () => {
    const response = await mf!.dispatchFetch("http://worker/notes");
    const text = await response.text();
    expect(response.status, text).toBe(200);
    return JSON.parse(text) as { total: number; bodies: string[] };
  };

  it("writes and reads through the Hyperdrive binding, request after request", async () => {
    const first = await post("first");
    expect(first).toMatchObject({ id: 1, body: "first" });
    expect(Number.isNaN(Date.parse(first.createdAt))).toBe(false);
    expect(await list()).toEqual({ total: 1, bodies: ["first"] });
    await post("second");
    expect(await list()).toEqual({ total: 2, bodies: ["first", "second"] });
    expect((await mf!.dispatchFetch("http://worker/elsewhere")).status).toBe(404);
  }, 60_000);

  it("serves overlapping requests, each on connections of its own", async () => {
    // 40 writes (BEGIN, INSERT, COMMIT each) and 40 reads (two statements each) in flight at once in one isolate.
    const bodies = Array.from({ length: 40 }, (_, i) => `parallel ${String(i).padStart(2, "0")}`);
    const [, reads] = await Promise.all([Promise.all(bodies.map(post)), Promise.all(bodies.map(() => list()))]);
    // Each read's count came first: other requests may commit between its two statements, never roll its view back.
    for (const read of reads) expect(read.bodies.length).toBeGreaterThanOrEqual(read.total);
    expect((await list()).bodies.filter((b) => b.startsWith("parallel")).sort()).toEqual(bodies);
  }, 60_000);

  it("landed in the test schema on the server (seen directly, not through the Worker)", async () => {
    const direct = postgres(db.schema.url, { max: 1, onnotice: () => undefined });
    try {
      const rows = await direct.unsafe(`SELECT count(*)::int AS n FROM "${db.schema.schema}".notes`);
      expect(rows[0]!.n).toBe(42);
    } finally {
      await direct.end({ timeout: 1 });
    }
  });

  it("why the example makes a backend per request: workerd refuses a pool kept from an earlier request", async () => {
    const other = new Miniflare(options(db, await bundle({ source: poolAcrossRequests }, decoratorMode)));
    try {
      const first = await other.dispatchFetch("http://worker/");
      expect(first.status, await first.clone().text()).toBe(200);
      const second = await other.dispatchFetch("http://worker/");
      expect(second.status).toBe(500);
      expect(await second.text()).toMatch(/Cannot perform I\/O on behalf of a different request/);
    } finally {
      await other.dispose();
    }
  }, 60_000);
});
