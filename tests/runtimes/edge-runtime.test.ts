/**
 * The shared scenario in Vercel's edge runtime (`edge-runtime` package:
 * Web APIs and fetch, no sockets, no native addons, no Node built-ins). The
 * only database it can reach here is over HTTP: D1 in Miniflare behind a
 * small Worker (entries/d1-http.ts). A `libsql://` URL (Turso / sqld over
 * HTTP) would be the production analogue; no sqld server can be installed
 * from npm, so that path is not exercised here.
 *
 * The edge-runtime VM has no AsyncLocalStorage; Vercel's runtime provides
 * it as a global, so the host installs Node's, as Vercel does.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { EdgeRuntime } from "edge-runtime";
import { Miniflare } from "miniflare";
import { afterAll, describe, expect, it } from "vitest";
import { decoratorMode } from "../support/mode.ts";
import { expectedReport } from "./expected.ts";
import { bundle } from "./support/bundle.ts";

describe(`runtime: vercel edge-runtime (${decoratorMode})`, () => {
  let mf: Miniflare | undefined;
  afterAll(() => mf?.dispose());

  it("runs the shared scenario on D1 over HTTP", async () => {
    mf = new Miniflare({ modules: true, script: await bundle("tests/runtimes/entries/d1-http.ts", decoratorMode), d1Databases: ["DB"] });
    const url = (await mf.ready).toString();
    const script = await bundle("tests/runtimes/entries/edge.ts", decoratorMode, {
      format: "iife",
      conditions: ["edge-light", "worker", "browser"],
      asyncLocalStorageFromGlobal: true,
    });
    const vm = new EdgeRuntime({ extend: (context) => Object.assign(context, { AsyncLocalStorage }) });
    // Nothing from Node leaks in: the VM has no require, process or Buffer of its own.
    expect(vm.evaluate("typeof require + typeof process + typeof Buffer")).toBe("undefinedundefinedundefined");
    vm.evaluate(script);
    const report = await vm.evaluate<Promise<unknown>>(`runEdgeRecordScenario(${JSON.stringify(url)})`);
    expect(JSON.parse(JSON.stringify(report))).toEqual(expectedReport({ runtime: "edge-runtime", decorators: decoratorMode, transactions: "batch" }));
  }, 90_000);

  it("takes edgerecord/libsql's remote-only entry under edge-light: embedded URLs refused by name, remote ones fetched", async () => {
    const script = await bundle("tests/runtimes/entries/libsql-worker.ts", decoratorMode, {
      format: "iife",
      globalName: "edgeWorker",
      conditions: ["edge-light", "worker", "browser"],
      asyncLocalStorageFromGlobal: true,
    });
    const vm = new EdgeRuntime({ extend: (context) => Object.assign(context, { AsyncLocalStorage }) });
    vm.evaluate(script);
    // Port 9 (discard) has no listener on loopback: the remote attempt must end as a ConnectionError from a real fetch.
    const response = await vm.evaluate<Promise<Response>>(`edgeWorker.default.fetch(new Request("http://edge/?remote=http://127.0.0.1:9"))`);
    const result = JSON.parse(await response.text()) as Record<string, { name: string; message: string }>;
    for (const kind of ["memory", "file"]) {
      expect(result[kind]).toMatchObject({ name: "ConnectionError", message: expect.stringMatching(/needs the native libSQL engine/) });
    }
    expect(result.remote).toMatchObject({ name: "ConnectionError", message: expect.stringMatching(/http:\/\/127\.0\.0\.1:9: .*fetch failed/i) });
  }, 90_000);
});
