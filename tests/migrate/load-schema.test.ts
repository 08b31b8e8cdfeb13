/** A schema snapshot loads in one step, and StateManager / useTransactionalTests start from it: libSQL, PostgreSQL, D1. */
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Backend } from "../../src/backend/backend.ts";
import { D1Backend, type D1Database } from "../../src/backend/d1/index.ts";
import { detectDrift, loadSchema, MigrationError, snapshotFromModels } from "../../src/migrate/index.ts";
import { StateManager } from "../../src/testing/index.ts";
import { Author, BLOG } from "../support/blog.ts";
import { POSTGRES } from "../support/backends.ts";
import { LIBSQL_KINDS, openLibsql } from "../support/libsql.ts";

const snapshot = snapshotFromModels(BLOG);

function suite(label: string, open: () => Promise<{ backend: Backend; close(): Promise<void> }>): void {
  describe(`loadSchema on ${label}`, () => {
    it("creates the models' schema in one step (no drift); a second load fails as a whole", async () => {
      const { backend, close } = await open();
      try {
        await loadSchema(backend, snapshot);
        expect(await detectDrift(backend, snapshot)).toEqual([]);
        await expect(loadSchema(backend, snapshot)).rejects.toThrow(MigrationError);
        expect(await detectDrift(backend, snapshot)).toEqual([]);
        if (!backend.dialect.capabilities.savepoints) return;
        // A StateManager session starts from the loaded schema and leaves it, rows rolled back.
        for (const model of BLOG) model.configure(backend);
        const manager = new StateManager(backend);
        await manager.connect();
        await Author.create({ name: "Ann" });
        expect(await Author.count()).toBe(1);
        await manager.disconnect();
        expect(await Author.count()).toBe(0);
        expect(await detectDrift(backend, snapshot)).toEqual([]);
      } finally {
        await close();
      }
    });
  });
}

for (const kind of LIBSQL_KINDS) suite(`libSQL (${kind})`, async () => openLibsql(kind));
suite("PostgreSQL", () => POSTGRES.open());

let mf: Miniflare;
beforeAll(() => {
  mf = new Miniflare({ modules: true, script: "export default { fetch() { return new Response('') } }", d1Databases: ["DB"] });
});
afterAll(() => mf.dispose());
suite("D1 (Miniflare)", async () => ({ backend: new D1Backend({ binding: (await mf.getD1Database("DB")) as unknown as D1Database }), close: async () => undefined }));
