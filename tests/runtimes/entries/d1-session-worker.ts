/**
 * The D1 Sessions example Worker (docs/scaling.md): each request runs in one
 * D1 session that starts from the bookmark the client sent back in the
 * `x-d1-bookmark` header, and answers with the session's latest bookmark in
 * that header (`ActiveRecord.bookmark()`: the session's latest). POST
 * /notes?body=... writes; GET /notes reads.
 */
import { ActiveRecord, column, table } from "../../../src/index.ts";
import { D1Backend, type D1Database } from "../../../src/backend/d1/index.ts";

@table("session_notes")
class Note extends ActiveRecord {
  @column.id() id!: number;
  @column.text() body!: string;
}

export default {
  async fetch(request: Request, env: { DB: D1Database }): Promise<Response> {
    // configure() returns the backend it made (the same one on every request for this binding and config).
    const db = Note.configure({ binding: env.DB, session: "first-unconstrained" }, D1Backend) as D1Backend;
    return db.withSession(request.headers.get("x-d1-bookmark"), async () => {
      const url = new URL(request.url);
      const startedAt = ActiveRecord.bookmark();
      let body: unknown;
      if (request.method === "POST") {
        await Note.createTable({ ifNotExists: true });
        body = await Note.create({ body: url.searchParams.get("body") ?? "" });
      } else {
        body = { startedAt, notes: await Note.pluck("body") };
      }
      return Response.json(body, { headers: { "x-d1-bookmark": ActiveRecord.bookmark() ?? "" } });
    });
  },
};
