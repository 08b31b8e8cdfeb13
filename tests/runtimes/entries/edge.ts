/**
 * The shared scenario for Vercel's edge runtime (the `edge-runtime` VM),
 * bundled as a script. Its only I/O is fetch, so it runs on D1 reached over
 * HTTP (entries/d1-http.ts in Miniflare). The host calls
 * `globalThis.runEdgeRecordScenario(url)`.
 */
import { D1Backend } from "../../../src/backend/d1/index.ts";
import { runScenario, type ScenarioReport } from "../scenario.ts";
import { d1OverHttp } from "../support/d1-http-binding.ts";

(globalThis as { runEdgeRecordScenario?: (url: string) => Promise<ScenarioReport> }).runEdgeRecordScenario = (url) =>
  runScenario(new D1Backend({ binding: d1OverHttp(url) }), "edge-runtime");
