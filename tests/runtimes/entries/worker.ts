/**
 * A Cloudflare Worker that runs the shared scenario on its D1 binding and
 * answers with the report as JSON (status 500 and the stack on failure).
 * Bundled by tests/runtimes/workerd.test.ts and run in workerd by Miniflare.
 */
import { D1Backend, type D1Database } from "../../../src/backend/d1/index.ts";
import { runScenario } from "../scenario.ts";

interface Env {
  DB: D1Database;
}

export default {
  async fetch(_request: Request, env: Env): Promise<Response> {
    try {
      const report = await runScenario(new D1Backend({ binding: env.DB }), "workerd");
      return Response.json(report);
    } catch (error) {
      return new Response(String((error as Error)?.stack ?? error), { status: 500 });
    }
  },
};
