/**
 * A Cloudflare Worker on D1: a small JSON API over one model. Deploy it with
 * wrangler (see wrangler.toml beside this file); the project's tests bundle it
 * with esbuild and run it in workerd through Miniflare
 * (tests/runtimes/examples.test.ts).
 *
 *   GET  /notes            the latest notes
 *   POST /notes {"body"}   creates one (400 with the failing fields if invalid)
 */
import { z } from "zod";
import { ActiveRecord, column, table, ValidationError } from "edgerecord";
import { D1Backend, type D1Database } from "edgerecord/d1";

@table("notes")
class Note extends ActiveRecord {
  @column.id() id!: number;
  @column.text({ validate: z.string().min(1).max(280) }) body!: string;
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
      try {
        const note = await Note.create({ body: ((await request.json()) as { body?: string }).body });
        return Response.json(note, { status: 201 });
      } catch (error) {
        if (error instanceof ValidationError) return Response.json({ errors: error.issues }, { status: 400 });
        throw error;
      }
    }
    return Response.json(await Note.query().orderBy("id", "desc").limit(20).all());
  },
};
