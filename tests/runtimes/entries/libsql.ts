/**
 * Child-process entry for Deno and Bun (and plain Node): the shared scenario
 * on libSQL `:memory:` through the native engine. It prints one line,
 * `EDGERECORD_REPORT {json}`, that tests/runtimes/*.test.ts parse; anything
 * thrown exits non-zero with the stack on stderr, so a failure is never silent.
 */
import { LibsqlBackend } from "../../../src/backend/libsql/index.ts";
import { runScenario } from "../scenario.ts";

const g = globalThis as { Deno?: unknown; Bun?: unknown };
const runtime = g.Deno ? "deno" : g.Bun ? "bun" : "node";
const backend = new LibsqlBackend({ url: ":memory:" });
try {
  const report = await runScenario(backend, runtime);
  console.log(`EDGERECORD_REPORT ${JSON.stringify(report)}`);
} finally {
  await backend.disconnect();
}
