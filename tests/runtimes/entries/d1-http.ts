/**
 * A Worker that exposes its D1 binding over HTTP, for runtimes that have
 * fetch and nothing else (the Vercel edge runtime). POST
 * `{ statements: [{ sql, params }], batch }`: one statement through
 * prepare/bind/all, or several through the atomic `batch`. A D1 error comes
 * back as status 500 with D1's own message, so the backend maps it as usual.
 */
interface D1Like {
  prepare(sql: string): { bind(...values: unknown[]): { all(): Promise<unknown> } };
  batch(statements: unknown[]): Promise<unknown[]>;
}

export default {
  async fetch(request: Request, env: { DB: D1Like }): Promise<Response> {
    const { statements, batch } = (await request.json()) as { statements: { sql: string; params: unknown[] }[]; batch: boolean };
    const prepared = statements.map((s) => env.DB.prepare(s.sql).bind(...s.params));
    try {
      return Response.json(batch ? await env.DB.batch(prepared) : [await prepared[0]!.all()]);
    } catch (error) {
      return Response.json({ error: String((error as Error).message ?? error) }, { status: 500 });
    }
  },
};
