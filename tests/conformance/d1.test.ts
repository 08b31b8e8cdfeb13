/**
 * The conformance suite against the D1 backend, on Miniflare's local D1
 * (SQLite inside workerd) reached from Node through Miniflare's binding proxy.
 * The suite gates what D1 lacks on its capability flags; nothing here skips
 * cases by name.
 */
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, it } from "vitest";
import { D1Backend, type D1Database } from "../../src/backend/d1/index.ts";
import { runBackendConformance } from "../../src/testing/index.ts";
import { decoratorMode } from "../support/mode.ts";

let mf: Miniflare | undefined;

runBackendConformance({
  describe,
  it,
  beforeAll,
  afterAll,
  name: `D1 in Miniflare (${decoratorMode})`,
  makeBackend: async () => {
    mf = new Miniflare({ modules: true, script: "export default { fetch() { return new Response('') } }", d1Databases: ["DB"] });
    return new D1Backend({ binding: (await mf.getD1Database("DB")) as unknown as D1Database });
  },
  cleanup: () => mf?.dispose(),
});
