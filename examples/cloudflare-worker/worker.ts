/**
 * A Cloudflare Worker on D1: a small JSON API over one model. Deploy it with
 * wrangler (see wrangler.toml beside this file); the project's tests bundle it
 * with esbuild and run it in workerd through Miniflare
 * (tests/runtimes/examples.test.ts).
 *
 *   GET  /notes?q=text     the latest notes (containing `text`, taken literally)
 *   POST /notes {"body"}   creates one (400 with the failing fields if invalid)
 *
 * The request body goes through `Note.insertSchema()`: only columns a client
 * may set, typed; `pinned` is guarded, so a body cannot set it.
 */
import { z } from "zod";
import { ActiveRecord, column, contains, table, ValidationError } from "edgerecord";
import { D1Backend, type D1Database } from "edgerecord/d1";

@table("notes")
class Note extends ActiveRecord {
  @column.id() id!: number;
  @column.text({ validate: z.string().min(1).max(280) }) body!: string;
  @column.boolean({ guarded: true, default: false }) pinned!: boolean;
  @column.createdAt() createdAt!: Date;
}

interface Env {
  DB: D1Database;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    // Same binding, same backend: configure() keys D1 backends by the binding object.
    Note.configure({ binding: env.DB }, D1Backend);
    await Note.createTable({ ifNotExists: true }); // a real app runs migrations instead

    const url = new URL(request.url);
    if (url.pathname !== "/notes") return new Response("not found", { status: 404 });
    if (request.method === "POST") {
      const input = Note.insertSchema().safeParse(await request.json());
      if (!input.success) {
        const errors = input.error.issues.map((i) => ({ field: i.path.join(".") || String((i as { keys?: string[] }).keys ?? ""), message: i.message }));
        return Response.json({ errors }, { status: 400 });
      }
      try {
        return Response.json(await Note.create(input.data), { status: 201 });
      } catch (error) {
        if (error instanceof ValidationError) return Response.json({ errors: error.issues }, { status: 400 });
        throw error;
      }
    }
    const q = url.searchParams.get("q");
    const notes = q === null ? Note.query() : Note.where({ body: contains(q) });
    return Response.json(await notes.orderBy("id", "desc").limit(20).all());
  },
};
