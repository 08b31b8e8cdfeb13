/**
 * "Pay for what you use": the minimal app of bench/bundle-size.ts (one model,
 * one select by id) must not bundle the relation machinery, which only an app
 * declaring relations needs. The registry in src/model/relations/registry.ts
 * is what keeps it out; a static import of the loader from ActiveRecord or
 * ModelQuery would pull it back in silently, so this checks the bundle's
 * inputs (sizes belong to bench/bundle-size.ts, not to tests).
 */
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./support/child.ts";

async function inputsOf(source: string): Promise<{ files: string[]; code: string; importers: (file: string) => string[] }> {
  const result = await build({
    stdin: { contents: source, resolveDir: repoRoot, loader: "ts", sourcefile: "app.ts" },
    bundle: true,
    write: false,
    minify: true,
    format: "esm",
    target: "es2022",
    platform: "browser",
    conditions: ["workerd", "worker", "browser", "source"],
    external: ["node:*", "zod", "zod/*", "reflect-metadata", "@libsql/client"],
    metafile: true,
    logLevel: "silent",
  });
  // The output's inputs, not metafile.inputs: those list every module parsed, shaken out or not.
  const [output] = Object.values(result.metafile.outputs);
  const files = Object.entries(output!.inputs).filter(([, i]) => i.bytesInOutput > 0).map(([file]) => file);
  // Who imports `file`, among the modules esbuild parsed.
  const importers = (file: string) =>
    Object.entries(result.metafile.inputs)
      .filter(([, i]) => i.imports.some((imp) => imp.path === file))
      .map(([f]) => f)
      .sort();
  return { files, code: result.outputFiles[0]!.text, importers };
}

const MODEL = `
  @table("users")
  class User extends ActiveRecord {
    @column.id() id!: number;
    @column.text() name!: string;
  }
  User.configure({ url: "libsql://example.turso.io" }, LibsqlBackend);
  export const user = await User.find(1);
`;

describe("tree-shaking of the minimal app", () => {
  it("leaves out the relation machinery", async () => {
    const { files } = await inputsOf(`
      import { ActiveRecord, column, table } from "edgerecord";
      import { LibsqlBackend } from "edgerecord/libsql";
      ${MODEL}
    `);
    expect(files.filter((f) => f.startsWith("src/model/relations/"))).toEqual(["src/model/relations/registry.ts"]);
  });

  it("leaves out joins along relations and withCount() and its kin (relation-only query features)", async () => {
    const { files, code } = await inputsOf(`
      import { ActiveRecord, column, table } from "edgerecord";
      import { LibsqlBackend } from "edgerecord/libsql";
      ${MODEL}
    `);
    // By module, wherever the code lives...
    expect(files.filter((f) => /(^|\/)(joins|relation-aggregates|counts)\.ts$/.test(f))).toEqual([]);
    // ...and by what only that code says: join planning, implicit joins, aggregate aliases and readers.
    for (const text of ["joining it twice", "repeats records per related row", "__er_"]) expect(code).not.toContain(text);
  });

  it("leaves out the replica code on a backend without replicas; PostgresBackend brings it", async () => {
    // configure({ primary, replicas }, Backend) asks the class (withReplicas) for the routing backend,
    // so only a backend class offering replicas reaches routing.ts and replica-set.ts.
    const { files } = await inputsOf(`
      import { ActiveRecord, column, table } from "edgerecord";
      import { LibsqlBackend } from "edgerecord/libsql";
      ${MODEL}
      await User.transaction(() => User.query().onPrimary().first());
      await ActiveRecord.requestScope(() => ActiveRecord.onPrimary(() => User.find(1)));
    `);
    expect(files.filter((f) => /(routing|replica-set)\.ts$/.test(f))).toEqual([]);
    const postgres = await inputsOf(`
      import { ActiveRecord, column, table } from "edgerecord";
      import { PostgresBackend } from "edgerecord/postgres";
      @table("users") class User extends ActiveRecord { @column.id() id!: number; }
      User.configure({ primary: { url: "postgres://a/db" }, replicas: [{ url: "postgres://b/db" }] }, PostgresBackend);
      export const user = await User.find(1);
    `);
    expect(postgres.files).toEqual(expect.arrayContaining(["src/transaction/routing.ts", "src/backend/replicas/replica-set.ts"]));
    expect(postgres.importers("src/transaction/routing.ts")).toEqual(["src/backend/postgres/backend.ts"]);
    expect(postgres.importers("src/backend/replicas/replica-set.ts")).toEqual(["src/transaction/routing.ts"]);
  });

  it("brings joins and relation aggregates in with a relation decorator", async () => {
    const { files, code } = await inputsOf(`
      import { ActiveRecord, column, hasMany, table } from "edgerecord";
      @table("posts") class Post extends ActiveRecord { @column.id() id!: number; @column.integer() userId!: number; }
      @table("users") class User extends ActiveRecord { @column.id() id!: number; @hasMany(() => Post) posts!: Post[]; }
      export const users = await User.query().join("posts").withCount("posts").all();
    `);
    expect(code).toContain("joining it twice");
    expect(code).toContain("__er_");
    expect(files).toEqual(expect.arrayContaining(["src/model/relations/joins.ts", "src/model/relations/counts.ts"]));
  });

  it("brings the relation machinery in as soon as a relation decorator is used", async () => {
    const { files } = await inputsOf(`
      import { ActiveRecord, column, hasMany, table } from "edgerecord";
      @table("posts") class Post extends ActiveRecord { @column.id() id!: number; @column.integer() userId!: number; }
      @table("users") class User extends ActiveRecord { @column.id() id!: number; @hasMany(() => Post) posts!: Post[]; }
      export const users = await User.with("posts").all();
    `);
    expect(files).toEqual(expect.arrayContaining(["src/model/relations/loader.ts", "src/model/relations/related.ts", "src/model/relations/metadata.ts"]));
  });
});
