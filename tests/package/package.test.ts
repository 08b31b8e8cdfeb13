/**
 * The package as npm publishes it: `npm run build` and `npm pack` in a copy of
 * the package's files, the tarball installed with npm into a fresh project
 * outside the repository, then
 * - every entry of `exports` imported at run time (and `./libsql` under the
 *   edge conditions), every file `exports` names present in the tarball;
 * - a consumer file importing every entry type-checked with
 *   `skipLibCheck: false` (node16-style and bundler resolution), in this run's
 *   decorator mode (TC39 or `experimentalDecorators`: the suite runs every file
 *   in both), then compiled and run against libSQL in memory.
 *
 * Network: only the npm registry, and npm takes what its cache already holds
 * (`--prefer-offline`); the root `npm ci` has put the package's dependencies there.
 */
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const mode = process.env.EDGERECORD_DECORATORS === "legacy" ? "legacy" : "tc39";
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

interface Manifest {
  name: string;
  version: string;
  files: string[];
  exports: Record<string, unknown>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  peerDependencies?: Record<string, string>;
}
const manifest = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as Manifest;
const entries = Object.keys(manifest.exports).map((key) => (key === "." ? manifest.name : `${manifest.name}/${key.slice(2)}`));

/** Runs a command; rejects with everything it printed when it exits non-zero. */
function sh(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    // npm_config_* from a parent `npm test` would point npm at the repository's project.
    const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_config_(local_)?prefix$/i.test(key)));
    execFile(command, args, { cwd, env: { ...base, NO_COLOR: "1", ...env }, maxBuffer: 64 << 20, timeout: 240_000, shell: process.platform === "win32" }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(" ")} (in ${cwd}) failed: ${error.message}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`));
      else resolve(stdout);
    });
  });
}

let work: string;
let consumer: string;
let installed: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), `edgerecord-package-${mode}-`));
  // A copy of what `files` publishes, so the build and the pack never touch the working tree
  // (the two decorator-mode runs of this file work side by side).
  const stage = join(work, "stage");
  mkdirSync(stage);
  cpSync(join(repo, "package.json"), join(stage, "package.json"));
  for (const entry of manifest.files) {
    if (entry !== "dist" && existsSync(join(repo, entry))) cpSync(join(repo, entry), join(stage, entry), { recursive: true });
  }
  for (const config of ["tsconfig.json", "tsconfig.build.json"]) cpSync(join(repo, config), join(stage, config));
  // The build resolves types (and `tsc`) from the repository's install; `npm pack` never packs node_modules.
  symlinkSync(join(repo, "node_modules"), join(stage, "node_modules"), "junction");
  await sh(npm, ["run", "build", "--", "--outDir", join(stage, "dist")], stage);
  const packed = JSON.parse(await sh(npm, ["pack", "--json", "--pack-destination", work], stage)) as { filename: string }[];
  const tarball = join(work, packed[0]!.filename);

  consumer = join(work, "consumer");
  mkdirSync(consumer);
  writeFileSync(
    join(consumer, "package.json"),
    JSON.stringify({
      name: "edgerecord-consumer",
      private: true,
      type: "module",
      // vitest and @opentelemetry/api: the optional peers `edgerecord/testing/vitest` and `edgerecord/otel` import;
      // @types/node: a Node consumer's types. Versions as the repository pins them.
      dependencies: {
        edgerecord: `file:${tarball}`,
        vitest: manifest.devDependencies.vitest,
        "@opentelemetry/api": manifest.devDependencies["@opentelemetry/api"],
        "@types/node": manifest.devDependencies["@types/node"],
      },
    }),
  );
  await sh(npm, ["install", "--prefer-offline", "--no-audit", "--no-fund", "--no-package-lock"], consumer);
  installed = join(consumer, "node_modules", manifest.name);
}, 600_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe(`the packed package (${mode} decorators)`, () => {
  it("holds every file its exports map names", () => {
    const paths: string[] = [];
    const collect = (target: unknown): void => {
      if (typeof target === "string") paths.push(target);
      else if (target && typeof target === "object") Object.values(target).forEach(collect);
    };
    collect((JSON.parse(readFileSync(join(installed, "package.json"), "utf8")) as Manifest).exports);
    expect(paths.length).toBeGreaterThan(entries.length);
    expect(paths.filter((path) => !existsSync(join(installed, path)))).toEqual([]);
    // No test or build leftovers in the tarball.
    expect(readdirSync(installed).sort()).toEqual(expect.arrayContaining(["dist", "package.json", "src"]));
    expect(existsSync(join(installed, "tests"))).toBe(false);
  });

  it("imports every entry of exports at run time", async () => {
    const script = `
      const out = {};
      for (const entry of ${JSON.stringify(entries)}) out[entry] = Object.keys(await import(entry)).length;
      console.log(JSON.stringify(out));`;
    const counts = JSON.parse(await sh(process.execPath, ["--input-type=module", "-e", script], consumer)) as Record<string, number>;
    expect(Object.keys(counts)).toEqual(entries);
    for (const entry of entries) expect(counts[entry], entry).toBeGreaterThan(0);
  });

  it("resolves edgerecord/libsql to the remote-only module under the edge conditions", async () => {
    // Resolution only: Node running a whole graph under browser conditions is no edge runtime
    // (tests/runtimes runs the bundles in workerd and edge-runtime).
    const script = `const { fileURLToPath } = await import("node:url"); console.log(fileURLToPath(import.meta.resolve("edgerecord/libsql")));`;
    for (const condition of ["workerd", "worker", "browser", "edge-light"]) {
      const file = await sh(process.execPath, [`--conditions=${condition}`, "--input-type=module", "-e", script], consumer);
      expect(file.trim(), condition).toMatch(/dist[\\/]backend[\\/]libsql[\\/]edge\.js$/);
      expect(existsSync(file.trim()), condition).toBe(true);
    }
    const plain = await sh(process.execPath, ["--input-type=module", "-e", script], consumer);
    expect(plain.trim()).toMatch(/dist[\\/]backend[\\/]libsql[\\/]index\.js$/);
  });

  const consumerSource = `
import { ActiveRecord, column, hasMany, belongsTo, startsWith, table, ValidationError } from "edgerecord";
import { LibsqlBackend } from "edgerecord/libsql";
import { PostgresBackend } from "edgerecord/postgres";
import { D1Backend } from "edgerecord/d1";
import { runBackendConformance, defineConformanceModels, type ConformanceModels } from "edgerecord/testing";
import { useTransactionalTests } from "edgerecord/testing/vitest";

@table("authors")
class Author extends ActiveRecord {
  @column.id() id!: number;
  @column.text({ unique: true }) email!: string;
  @column.text({ nullable: true }) name!: string | null;
  @hasMany(() => Book) books!: Book[];
}

@table("books")
class Book extends ActiveRecord {
  @column.id() id!: number;
  @column.integer({ references: { table: "authors" } }) authorId!: number;
  @column.varchar(80) title!: string;
  @belongsTo(() => Author) author!: Author;
}

const models: ConformanceModels = defineConformanceModels("pkg");
const petNames = (owner: InstanceType<ConformanceModels["Owner"]>): string[] => owner.pets.map((pet) => pet.name);
void [models, petNames];
void [PostgresBackend, D1Backend, runBackendConformance, useTransactionalTests, ValidationError];

ActiveRecord.configure({ url: ":memory:" }, LibsqlBackend);
await Author.createTable();
await Book.createTable();
const ann = await Author.create({ email: "ann@example.com", name: "Ann" });
await Book.create({ authorId: ann.id, title: "First" });
const found = await Author.where({ name: startsWith("A") }).with("books").first();
const title: string | undefined = found?.books[0]?.title;
console.log(JSON.stringify({ id: ann.id, name: found?.name, title }));
`;

  const configs = {
    nodenext: { module: "NodeNext", moduleResolution: "NodeNext" },
    bundler: { module: "ESNext", moduleResolution: "Bundler" },
  };

  for (const [resolution, options] of Object.entries(configs)) {
    it(`type-checks a consumer with skipLibCheck: false (${resolution} resolution)`, async () => {
      const dir = join(consumer, `check-${resolution}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "consumer.ts"), consumerSource);
      writeFileSync(
        join(dir, "tsconfig.json"),
        JSON.stringify({
          compilerOptions: {
            ...options,
            target: "ES2022",
            lib: ["ES2023", "DOM"],
            strict: true,
            skipLibCheck: false,
            experimentalDecorators: mode === "legacy",
            useDefineForClassFields: true,
            types: ["node"],
            outDir: "out",
          },
          files: ["consumer.ts"],
        }),
      );
      // Exit code 0 and no diagnostics: errors in the published .d.ts files count too.
      await expect(sh(join(repo, "node_modules/.bin/tsc"), ["-p", dir], dir)).resolves.toBe("");
      if (resolution === "nodenext") {
        // The compiled consumer runs against the published JavaScript, on libSQL in memory.
        writeFileSync(join(dir, "out", "package.json"), JSON.stringify({ type: "module" }));
        const output = await sh(process.execPath, [join(dir, "out", "consumer.js")], consumer);
        expect(JSON.parse(output.trim().split("\n").at(-1)!)).toEqual({ id: 1, name: "Ann", title: "First" });
      }
    });
  }
});
