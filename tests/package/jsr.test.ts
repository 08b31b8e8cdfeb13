/**
 * The package as JSR (Deno's registry) publishes it, from deno.json:
 * - deno.json exports exactly the entries package.json exports, each to the
 *   file package.json gives Deno (its `deno` condition), and its import map
 *   maps `edgerecord/<entry>` to the same file and every npm dependency at the
 *   version package.json pins: any entry added to one manifest and not the
 *   other fails here;
 * - `deno publish --dry-run` passes without `--allow-slow-types` (explicit
 *   types on the public API, a license) and publishes src/, README, docs and
 *   LICENSE, never tests/, bench/, examples/ or scripts/;
 * - `deno check` passes on every entry and on examples/;
 * - `deno doc --lint` passes on every entry at once, as JSR documents the
 *   package: each exported symbol has JSDoc, and every type a public
 *   signature names is exported by some entry (so `edgerecord/migrate` may
 *   name `Backend`, which the main entry exports).
 *
 * Network: none. deno.json says `"nodeModulesDir": "manual"`, so Deno takes
 * npm packages from the node_modules that `npm ci` made; `--cached-only`
 * makes any attempt to fetch something else an error (`--no-remote` for
 * `deno doc`, which has no `--cached-only`), and a dry run uploads nothing.
 * The deno binary is tests/runtimes/toolchain's.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { binary } from "../runtimes/support/child.ts";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const mode = process.env.EDGERECORD_DECORATORS === "legacy" ? "legacy" : "tc39";

type Conditions = string | { readonly [condition: string]: Conditions };
interface PackageJson {
  name: string;
  version: string;
  license: string;
  exports: Record<string, Conditions>;
  dependencies: Record<string, string>;
  peerDependencies?: Record<string, string>;
}
interface DenoJson {
  name: string;
  version: string;
  license?: string;
  exports: Record<string, string>;
  imports: Record<string, string>;
  publish?: { include?: string[]; exclude?: string[] };
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(join(repo, path), "utf8")) as T;
const pkg = readJson<PackageJson>("package.json");
const deno = readJson<DenoJson>("deno.json");

/** The file package.json gives Deno for an entry: its `deno` condition, else `source`, else the plain target. */
function denoTarget(conditions: Conditions): string | undefined {
  if (typeof conditions === "string") return conditions;
  for (const key of ["deno", "source", "default"]) {
    const found = conditions[key] === undefined ? undefined : denoTarget(conditions[key]!);
    if (found) return found;
  }
  return undefined;
}

/** An entry's specifier in the import map: `edgerecord`, `edgerecord/libsql`... */
const specifierOf = (entry: string): string => (entry === "." ? pkg.name : `${pkg.name}/${entry.slice(2)}`);

interface Run {
  code: number | null;
  output: string;
}

/** Runs deno from the repository root; resolves with its exit code and everything it printed. */
function runDeno(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const env = { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1", DENO_NO_PROMPT: "1" };
    execFile(binary("deno"), args, { cwd: repo, env, maxBuffer: 64 << 20, timeout: 240_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, output: `${stdout}\n${stderr}` });
    });
  });
}

describe(`JSR manifest: deno.json in step with package.json (${mode})`, () => {
  it("exports every entry package.json exports, each to the file package.json gives Deno, and nothing else", () => {
    const expected = Object.fromEntries(Object.entries(pkg.exports).map(([entry, conditions]) => [entry, denoTarget(conditions)]));
    expect(deno.exports).toEqual(expected);
  });

  it("maps edgerecord/<entry> to the same file as its export", () => {
    const own = Object.fromEntries(Object.entries(deno.imports).filter(([key]) => key === pkg.name || key.startsWith(`${pkg.name}/`)));
    expect(own).toEqual(Object.fromEntries(Object.entries(deno.exports).map(([entry, file]) => [specifierOf(entry), file])));
  });

  it("maps every dependency at the version package.json pins, every peer, and no other npm package", () => {
    const npmImports = Object.entries(deno.imports).filter(([, target]) => target.startsWith("npm:"));
    const mapped = new Map<string, string[]>();
    for (const [key, target] of npmImports) {
      // "npm:zod@4.6.7", "npm:/zod@4.6.7/", "npm:@libsql/client@0.18.0"
      const match = /^npm:\/?((?:@[^/@]+\/)?[^/@]+)@([^/]+)\/?$/.exec(target);
      expect(match, `${key}: ${target} is not npm:<name>@<version>`).not.toBeNull();
      const [, name, version] = match!;
      expect(key.replace(/\/$/, ""), `${key} maps another package (${name})`).toBe(name);
      mapped.set(name!, [...(mapped.get(name!) ?? []), version!]);
    }
    for (const [name, version] of Object.entries(pkg.dependencies)) {
      expect(mapped.get(name), `dependency ${name}@${version} in deno.json imports`).toBeDefined();
      expect(new Set(mapped.get(name))).toEqual(new Set([version]));
    }
    // A peer keeps package.json's range where Deno's specifiers can say it, else any version ("*"): Deno takes the installed one.
    for (const name of Object.keys(pkg.peerDependencies ?? {})) expect(mapped.get(name), `peer ${name} in deno.json imports`).toBeDefined();
    const declared = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies ?? {})]);
    expect([...mapped.keys()].filter((name) => !declared.has(name))).toEqual([]);
  });

  it("the legacy-decorator Deno config maps the npm packages as deno.json does", () => {
    const legacy = readJson<{ imports: Record<string, string> }>("tests/runtimes/deno.legacy.json");
    for (const [key, target] of Object.entries(legacy.imports)) expect(`${key} -> ${target}`).toBe(`${key} -> ${deno.imports[key]}`);
  });

  it("has the package's version and license, and a JSR name ending in the npm name", () => {
    expect(deno.version).toBe(pkg.version);
    expect(deno.license).toBe(pkg.license);
    expect(deno.name).toMatch(new RegExp(`^@[a-z0-9-]+/${pkg.name}$`));
    expect(readFileSync(join(repo, "LICENSE"), "utf8")).toMatch(/^MIT License/);
  });
});

// Deno type-checks the same source whichever decorator mode vitest compiled this file in; tests/runtimes/deno.test.ts runs both modes on Deno.
describe.skipIf(mode === "legacy")("JSR package: deno publish --dry-run and deno check (once, not per decorator mode)", () => {
  it("deno publish --dry-run passes without --allow-slow-types and publishes no tests, bench, examples or scripts", async () => {
    const result = await runDeno(["publish", "--dry-run", "--allow-dirty"]);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain("Success Dry run complete");
    const published = [...result.output.matchAll(/^\s+file:\/\/(\S+) \(/gm)].map((m) => m[1]!.slice(repo.length));
    expect(published).toContain("LICENSE");
    expect(published).toContain("src/index.ts");
    expect(published.filter((file) => /^(tests|bench|examples|scripts|node_modules|dist)\//.test(file))).toEqual([]);
  }, 240_000);

  it("deno check passes on every entry of deno.json", async () => {
    const result = await runDeno(["check", "--cached-only", ...Object.values(deno.exports)]);
    expect(result.code, result.output).toBe(0);
  }, 240_000);

  it("deno doc --lint passes on every entry package.json exports", async () => {
    const entries = Object.keys(pkg.exports);
    expect(entries.filter((entry) => deno.exports[entry] === undefined), "entries without a deno.json export").toEqual([]);
    const files = entries.map((entry) => deno.exports[entry]!);
    const result = await runDeno(["doc", "--lint", "--no-remote", ...files]);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain(`Checked ${files.length} files`);
  }, 240_000);

  it("deno check passes on examples/", async () => {
    const result = await runDeno(["check", "--cached-only", "examples/"]);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain("Check examples/basic.ts");
  }, 240_000);
});
