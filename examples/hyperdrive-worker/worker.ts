/**
 * A Cloudflare Worker on PostgreSQL through Hyperdrive: postgres.js (inside
 * `PostgresBackend`) connects to `env.HYPERDRIVE.connectionString`, which
 * Hyperdrive serves from a pool close to the database. Deploy it with
 * wrangler (wrangler.toml beside this file); the project's tests bundle it
 * with esbuild and run it in workerd through Miniflare, whose `hyperdrives`
 * option stands in for Hyperdrive (tests/runtimes/hyperdrive.test.ts).
 *
 *   GET  /notes               { total, bodies }: every note, oldest first
 *   POST /notes?body=text     creates one in a transaction (201 with the note)
 *
 * Each request gets a PostgresBackend of its own (`PostgresBackend.perRequest`:
 * a Worker cannot keep one across requests). The table comes from
 * migrations.ts, run once from outside the Worker.
 */
import { ActiveRecord, column, table } from "edgerecord";
import { PostgresBackend } from "edgerecord/postgres";

@table("notes")
class Note extends ActiveRecord {
  @column.id() id!: number;
  @column.text() body!: string;
  @column.createdAt() createdAt!: Date;
}

interface Env {
  HYPERDRIVE: { connectionString: string };
}

/** The part of the Worker's execution context used here (`@cloudflare/workers-types` has the whole). */
interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}

// A PostgresBackend per request (workerd refuses a socket another request opened), closed after the response.
// Few connections and no type fetching: each request opens its own, so a round trip saved at connect counts.
const db = PostgresBackend.perRequest((env: Env) => ({ url: env.HYPERDRIVE.connectionString, max: 5, fetchTypes: false }));
ActiveRecord.configure(db);

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    return db.serve(env, ctx, () =>
      ActiveRecord.requestScope(async () => {
        const url = new URL(request.url);
        if (url.pathname !== "/notes") return new Response("not found", { status: 404 });
        if (request.method === "POST") {
          const note = await ActiveRecord.transaction(() => Note.create({ body: url.searchParams.get("body") ?? "" }));
          return Response.json(note, { status: 201 });
        }
        return Response.json({ total: await Note.count(), bodies: await Note.orderBy("id").pluck("body") });
      }),
    );
  },
};
