/**
 * The shared scenario inside Cloudflare's workerd (through Miniflare), as a
 * bundled Worker with `nodejs_compat`, on D1 (Miniflare's local D1, a real
 * SQLite in workerd). PostgreSQL in workerd: workerd-postgres.test.ts.
 */
import { Miniflare } from "miniflare";
import { afterAll, describe, expect, it } from "vitest";
import { decoratorMode } from "../support/mode.ts";
import { expectedReport } from "./expected.ts";
import { bundle, workerOptions } from "./support/bundle.ts";


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

  it("D1 sessions: the example Worker hands the bookmark back in a header and the next request starts from it", async () => {
    const script = await bundle("tests/runtimes/entries/d1-session-worker.ts", decoratorMode);
    const worker = new Miniflare({ ...workerOptions, script });
    try {
      const write = await worker.dispatchFetch("http://worker/notes?body=hello", { method: "POST" });
      expect(write.status, await write.clone().text()).toBe(200);
      const bookmark = write.headers.get("x-d1-bookmark");
      expect(bookmark).toMatch(/^[0-9a-f]{8}-[0-9a-f]{8}-/);
      const read = await worker.dispatchFetch("http://worker/notes", { headers: { "x-d1-bookmark": bookmark! } });
      expect(read.status, await read.clone().text()).toBe(200);
      // The read's session started at the write's bookmark (withSession(bookmark) in workerd), and moved on from there.
      expect(await read.json()).toEqual({ startedAt: bookmark, notes: ["hello"] });
      expect(read.headers.get("x-d1-bookmark")! > bookmark!).toBe(true);
    } finally {
      await worker.dispose();
    }
  }, 90_000);

  it("bundles edgerecord/libsql without the native engine and refuses embedded URLs by name", async () => {
    // Imported by package name with the workerd condition: the remote-only entry, or the bundle would not even build.
    const script = await bundle("tests/runtimes/entries/libsql-worker.ts", decoratorMode);
    expect(script).not.toMatch(/@neon-rs|detect-libc|require\("child_process"\)/);
    const worker = new Miniflare({ ...workerOptions, script });
    try {
      // Nothing listens on port 9 (discard) on loopback: the remote path must fail as a connection error, not a crash.
      const response = await worker.dispatchFetch(`http://worker/?remote=${encodeURIComponent("http://127.0.0.1:9")}`);
      const body = await response.text();
      expect(response.status, body).toBe(200);
      const result = JSON.parse(body) as Record<string, { name: string; message: string }>;
      for (const kind of ["memory", "file"]) {
        expect(result[kind]).toMatchObject({ name: "ConnectionError", message: expect.stringMatching(/needs the native libSQL engine.*use a libsql:\/\/ or https:\/\/ URL/) });
      }
      // The fetch really went out (workerd reports the refused connection as a lost one).
      expect(result.remote).toMatchObject({ name: "ConnectionError", message: expect.stringMatching(/http:\/\/127\.0\.0\.1:9: .*connection/i) });
    } finally {
      await worker.dispose();
    }
  }, 90_000);
});
