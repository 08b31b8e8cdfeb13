/**
 * Minified bundles (how Workers ship) rename classes. EdgeRecord's error
 * names must survive that: logs and `error.name` checks read them. The app
 * is bundled and minified with esbuild, then run against libSQL in memory.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./support/child.ts";

const APP = `
  import { ActiveRecord, column, table } from "edgerecord";
  import { LibsqlBackend } from "edgerecord/libsql";

  @table("people")
  class Person extends ActiveRecord {
    @column.id() id!: number;
    @column.text({ unique: true }) email!: string;
  }

  class Nameless extends ActiveRecord {}

  export async function errorNames(): Promise<string[]> {
    const names: string[] = [];
    const record = async (run: () => unknown) => {
      try {
        await run();
        names.push("(nothing thrown)");
      } catch (error) {
        names.push((error as Error).name);
      }
    };
    Person.configure({ url: ":memory:" }, LibsqlBackend);
    await Person.createTable();
    await Person.create({ email: "a@example.com" });
    await record(() => Person.create({ email: "a@example.com" }));
    await record(() => Person.findOrFail(99));
    await record(() => Person.create({ email: 5 as unknown as string }));
    await record(() => Person.where({ nope: 1 } as never).all());
    await record(() => Nameless.metadata);
    return names;
  }
`;

describe("a minified bundle", () => {
  it("keeps EdgeRecord's error names", async () => {
    const result = await build({
      stdin: { contents: APP, resolveDir: repoRoot, loader: "ts", sourcefile: "app.ts" },
      bundle: true,
      write: false,
      minify: true,
      format: "esm",
      target: "es2022",
      platform: "node",
      conditions: ["source"],
      external: ["libsql", "@libsql/client", "zod", "zod/*", "reflect-metadata", "postgres"],
      logLevel: "silent",
    });
    const code = result.outputFiles[0]!.text;
    // The minifier did rename the classes, or this test would prove nothing.
    expect(code).not.toMatch(/class IntegrityError\b/);
    const dir = `${repoRoot}node_modules/.cache/edgerecord-minified`;
    mkdirSync(dir, { recursive: true });
    const file = `${dir}/app-${process.pid}-${Date.now()}.mjs`;
    writeFileSync(file, code);
    const app = (await import(file)) as { errorNames(): Promise<string[]> };
    expect(await app.errorNames()).toEqual(["IntegrityError", "RecordNotFoundError", "ValidationError", "UnknownColumnError", "ConfigurationError"]);
  });
});
