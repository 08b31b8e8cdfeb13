/** examples/cloudflare-worker, bundled as wrangler would and served by workerd (Miniflare) on a local D1. */
import { Miniflare } from "miniflare";
import { afterAll, describe, expect, it } from "vitest";
import { decoratorMode } from "../support/mode.ts";
import { bundle, workerOptions } from "./support/bundle.ts";

describe(`example: Cloudflare Worker on D1 (${decoratorMode})`, () => {
  let mf: Miniflare | undefined;
  afterAll(() => mf?.dispose());

  it("creates, validates and lists notes", async () => {
    const script = await bundle("examples/cloudflare-worker/worker.ts", decoratorMode);
    mf = new Miniflare({ ...workerOptions, script });
    const post = (body: unknown) => mf!.dispatchFetch("http://worker/notes", { method: "POST", body: JSON.stringify(body) });

    const created = await post({ body: "hello from the edge" });
    expect(created.status, await created.clone().text()).toBe(201);
    const note = (await created.json()) as { id: number; body: string; createdAt: string };
    expect(note).toMatchObject({ id: 1, body: "hello from the edge" });
    expect(Number.isNaN(Date.parse(note.createdAt))).toBe(false);
    expect((await post({ body: "second" })).status).toBe(201);

    const invalid = await post({ body: "" });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(["body"]);

    const forged = await post({ body: "let me in", pinned: true });
    expect(forged.status, "a guarded column in a body").toBe(400);
    expect(((await forged.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(["pinned"]);
    expect((await post({ body: { $ne: "" } })).status, "an operator-shaped body").toBe(400);

    const list = (await (await mf.dispatchFetch("http://worker/notes")).json()) as { body: string; pinned: boolean }[];
    expect(list.map((n) => n.body)).toEqual(["second", "hello from the edge"]);
    expect(list.every((n) => n.pinned === false)).toBe(true);
    const found = (await (await mf.dispatchFetch("http://worker/notes?q=%25")).json()) as unknown[];
    expect(found, "a % in the search is taken literally").toEqual([]);
    const hello = (await (await mf.dispatchFetch("http://worker/notes?q=from%20the")).json()) as { body: string }[];
    expect(hello.map((n) => n.body)).toEqual(["hello from the edge"]);
    expect((await mf.dispatchFetch("http://worker/elsewhere")).status).toBe(404);
  }, 90_000);
});
