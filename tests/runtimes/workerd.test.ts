/**
 * The shared scenario inside Cloudflare's workerd (through Miniflare), as a
 * bundled Worker with `nodejs_compat`, on D1 (Miniflare's local D1, a real
 * SQLite in workerd). PostgreSQL in workerd waits for the postgres backend
 * (branch `pg`), which is not on main yet: see docs/runtimes.md.
 */
import { Miniflare } from "miniflare";
import { afterAll, describe, expect, it } from "vitest";
import { decoratorMode } from "../support/mode.ts";
import { expectedReport } from "./expected.ts";
import { bundle } from "./support/bundle.ts";

/** What a wrangler.toml would say: `compatibility_flags = ["nodejs_compat"]` and a `[[d1_databases]]` binding. */
export const workerOptions = { modules: true, compatibilityDate: "2025-09-01", compatibilityFlags: ["nodejs_compat"], d1Databases: ["DB"] };

describe(`runtime: workerd (${decoratorMode})`, () => {
  let mf: Miniflare | undefined;
  afterAll(() => mf?.dispose());

  it("runs the shared scenario as a bundled Worker on D1", async () => {
    const script = await bundle("tests/runtimes/entries/worker.ts", decoratorMode);
    mf = new Miniflare({ ...workerOptions, script });
    const response = await mf.dispatchFetch("http://worker/");
    const body = await response.text();
    expect(response.status, body).toBe(200);
    expect(JSON.parse(body)).toEqual(expectedReport({ runtime: "workerd", decorators: decoratorMode, transactions: "batch" }));
  }, 90_000);
});
