/**
 * `ActiveRecord.bookmark()`: inside workerd (a Worker bundled and run by
 * Miniflare, on its local D1) it is the bookmark of the request's D1
 * session, the same as the backend's, on `ActiveRecord` and on the model;
 * the header round trip carries it to the next request, whose session starts
 * there. In Node, on real libSQL, what it answers where there are no sessions.
 */
import { Miniflare } from "miniflare";
import { afterAll, describe, expect, it } from "vitest";
import { ActiveRecord, column, ConfigurationError, table } from "../../src/index.ts";
import { LibsqlBackend } from "../../src/backend/libsql/index.ts";
import { decoratorMode } from "../support/mode.ts";
import { bundle, workerOptions } from "../runtimes/support/bundle.ts";

const worker = `
import { ActiveRecord, column, table } from "./src/index.ts";
import { D1Backend } from "./src/backend/d1/index.ts";

@table("bookmark_notes")
class Note extends ActiveRecord {
  @column.id() id;
  @column.text() body;
}

export default {
  async fetch(request, env) {
    const db = Note.configure({ binding: env.DB, session: "first-unconstrained" }, D1Backend);
    const outside = ActiveRecord.bookmark();
    return db.withSession(request.headers.get("x-d1-bookmark"), async () => {
      const startedAt = ActiveRecord.bookmark();
      let notes;
      if (request.method === "POST") {
        await Note.createTable({ ifNotExists: true });
        await Note.create({ body: new URL(request.url).searchParams.get("body") });
      } else {
        notes = await Note.pluck("body");
      }
      const bookmark = ActiveRecord.bookmark();
      const body = { outside: outside === undefined ? "undefined" : outside, startedAt, onModel: Note.bookmark() === bookmark, onBackend: db.bookmark() === bookmark, notes };
      return Response.json(body, { headers: { "x-d1-bookmark": bookmark ?? "" } });
    });
  },
};`;

describe(`ActiveRecord.bookmark() (${decoratorMode})`, () => {
  let mf: Miniflare | undefined;
  afterAll(() => mf?.dispose());

  it("in workerd: the request's D1 session bookmark, handed back in a header and started from on the next request", async () => {
    mf = new Miniflare({ ...workerOptions, script: await bundle({ source: worker }, decoratorMode) });
    const write = await mf.dispatchFetch("http://worker/notes?body=hello", { method: "POST" });
    const written = (await write.json()) as Record<string, unknown>;
    expect(write.status, JSON.stringify(written)).toBe(200);
    // Outside withSession: undefined; inside, before any statement of a session started without a bookmark: null.
    expect(written).toMatchObject({ outside: "undefined", startedAt: null, onModel: true, onBackend: true });
    const bookmark = write.headers.get("x-d1-bookmark")!;
    expect(bookmark).toMatch(/^[0-9a-f]{8}-[0-9a-f]{8}-/);

    const read = await mf.dispatchFetch("http://worker/notes", { headers: { "x-d1-bookmark": bookmark } });
    const seen = (await read.json()) as Record<string, unknown>;
    expect(read.status, JSON.stringify(seen)).toBe(200);
    // The next request's session started at that bookmark, read the write, and moved on.
    expect(seen).toMatchObject({ startedAt: bookmark, onModel: true, onBackend: true, notes: ["hello"] });
    expect(read.headers.get("x-d1-bookmark")! > bookmark).toBe(true);
  }, 90_000);

  it("without sessions: undefined on a backend that has none; on ActiveRecord with several backends, an error naming the way out", async () => {
    @table("bookmark_plain")
    class Plain extends ActiveRecord {
      @column.id() id!: number;
    }
    @table("bookmark_other")
    class Other extends ActiveRecord {
      @column.id() id!: number;
    }
    const a = new LibsqlBackend({ url: ":memory:" });
    const b = new LibsqlBackend({ url: ":memory:" });
    try {
      Plain.configure(a);
      await Plain.createTable();
      await ActiveRecord.transaction(async () => {
        await Plain.create({});
        expect(ActiveRecord.bookmark()).toBeUndefined();
      });
      expect(Plain.bookmark()).toBeUndefined();
      Other.configure(b);
      expect(Other.bookmark()).toBeUndefined();
      expect(() => ActiveRecord.bookmark()).toThrow(ConfigurationError);
      expect(() => ActiveRecord.bookmark()).toThrow(/call .* on a model/);
    } finally {
      await a.disconnect();
      await b.disconnect();
    }
  });
});
