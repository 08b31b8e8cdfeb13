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
 * Each request gets a PostgresBackend of its own (request-backends.ts says
 * why a Worker cannot keep one across requests). The table comes from
 * migrations.ts, run once from outside the Worker.
 */
import { ActiveRecord, column, table } from "edgerecord";
import { PostgresBackend } from "edgerecord/postgres";
import { RequestBackends, type WaitUntil } from "./request-backends.ts";

@table("notes")
class Note extends ActiveRecord {
  @column.id() id!: number;
  @column.text() body!: string;
  @column.createdAt() createdAt!: Date;
}

interface Env {
  HYPERDRIVE: { connectionString: string };
}

// Few connections and no type fetching: each request opens its own, so a round trip saved at connect counts.
const connect = (env: Env) => new PostgresBackend({ url: env.HYPERDRIVE.connectionString, max: 5, fetchTypes: false });
const db = new RequestBackends(connect, connect({ HYPERDRIVE: { connectionString: "postgres://unused" } }).dialect);
ActiveRecord.configure(db);

export default {
  fetch(request: Request, env: Env, ctx: WaitUntil): Promise<Response> {
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
