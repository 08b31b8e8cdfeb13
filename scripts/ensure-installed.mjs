#!/usr/bin/env node
/**
 * The root `npm ci` / `npm install` installs what a contributor needs: the
 * package's dependencies, TypeScript, vitest, tsx, esbuild and PGlite. Two
 * larger sets live in folders of their own, each with its own package.json and
 * lockfile, and are installed by this script when something needs them:
 *
 * - `toolchain`: tests/runtimes/toolchain, the runtime matrix the tests run on
 *   (Deno, Bun, workerd through miniflare, edge-runtime), about 450 MB of
 *   native binaries. Linked as tests/node_modules.
 * - `peers`: bench/peers, the libraries the benchmarks compare with (Drizzle,
 *   Kysely, TypeORM, pg). Linked as bench/node_modules.
 *
 * The link makes Node, tsx, vite, esbuild and TypeScript resolve `miniflare`
 * or `drizzle-orm` from files under tests/ or bench/ by the ordinary
 * node_modules lookup, while anything else still resolves to the root install
 * (each folder installs with install-strategy=shallow, so only its direct
 * dependencies sit at the top). No package.json sits in tests/ or bench/, so
 * `import "edgerecord"` keeps resolving to this package there.
 *
 * Idempotent: `npm ci` runs only when the folder's node_modules is missing or
 * was installed from another package.json / lockfile / .npmrc (a stamp holds
 * their hash). Concurrent callers wait on a lock directory.
 *
 *   node scripts/ensure-installed.mjs            # both
 *   node scripts/ensure-installed.mjs toolchain  # one
 *
 * Also a vitest globalSetup (see vitest.config.ts), so `npx vitest run ...`
 * on a fresh clone installs the toolchain too.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export const installs = {
  toolchain: { dir: join(root, "tests/runtimes/toolchain"), link: join(root, "tests/node_modules") },
  peers: { dir: join(root, "bench/peers"), link: join(root, "bench/node_modules") },
};

const STAMP = ".edgerecord-install-stamp";

function fingerprint(dir) {
  const hash = createHash("sha256");
  for (const file of ["package.json", "package-lock.json", ".npmrc"]) {
    hash.update(`${file}\0`);
    if (existsSync(join(dir, file))) hash.update(readFileSync(join(dir, file)));
  }
  hash.update(`${process.platform}-${process.arch}`);
  return hash.digest("hex");
}

function upToDate(dir, expected) {
  try {
    return readFileSync(join(dir, "node_modules", STAMP), "utf8").trim() === expected;
  } catch {
    return false;
  }
}

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Holds `<dir>/.install-lock` while `fn` runs; a lock older than 15 minutes is taken as left by a dead process. */
function withLock(dir, fn) {
  const lock = join(dir, ".install-lock");
  for (let waited = 0; ; waited += 500) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
      try {
        if (Date.now() - statSync(lock).mtimeMs > 15 * 60_000) rmSync(lock, { recursive: true, force: true });
      } catch {}
      if (waited > 20 * 60_000) throw new Error(`${lock} is held for more than 20 minutes; remove it if no install is running`);
      sleep(500);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function npmCi(dir) {
  // `npm test` runs this under npm, whose environment names the root as the project: the child npm
  // must take `dir` (its package.json, lockfile and .npmrc) instead.
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (/^npm_config_(local_)?prefix$/i.test(key)) delete env[key];
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const args = ["ci", "--prefix", dir, "--prefer-offline", "--no-audit", "--no-fund"];
  console.error(`[ensure-installed] npm ${args.join(" ")}`);
  const result = spawnSync(npm, args, { cwd: dir, env, stdio: ["ignore", 2, 2], shell: process.platform === "win32" });
  if (result.status !== 0) {
    throw new Error(`npm ci in ${relative(root, dir)} failed (exit ${result.status ?? result.signal}); see the output above`);
  }
}

function ensureLink(link, target) {
  let stat;
  try {
    stat = lstatSync(link);
  } catch {}
  if (stat?.isSymbolicLink() && resolve(dirname(link), readlinkSync(link)) === target) return;
  if (stat && !stat.isSymbolicLink()) {
    throw new Error(`${relative(root, link)} is a real folder; remove it: it must be the link to ${relative(root, target)}, which scripts/ensure-installed.mjs makes`);
  }
  if (stat) rmSync(link, { force: true });
  if (process.platform === "win32") symlinkSync(target, link, "junction");
  else symlinkSync(relative(dirname(link), target), link, "dir");
}

/** Installs (if needed) and links each named folder; returns the names it had to install. */
export function ensureInstalled(names = Object.keys(installs)) {
  const installed = [];
  for (const name of names) {
    const entry = installs[name];
    if (!entry) throw new Error(`unknown install "${name}"; one of: ${Object.keys(installs).join(", ")}`);
    const expected = fingerprint(entry.dir);
    if (!upToDate(entry.dir, expected)) {
      withLock(entry.dir, () => {
        if (upToDate(entry.dir, expected)) return;
        npmCi(entry.dir);
        writeFileSync(join(entry.dir, "node_modules", STAMP), `${expected}\n`);
        installed.push(name);
      });
    }
    ensureLink(entry.link, join(entry.dir, "node_modules"));
  }
  return installed;
}

/** vitest globalSetup: the test files import miniflare and edge-runtime, and run deno and bun. */
export function setup() {
  ensureInstalled(["toolchain"]);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    ensureInstalled(process.argv.slice(2).length ? process.argv.slice(2) : undefined);
  } catch (error) {
    console.error(`[ensure-installed] ${error.message}`);
    process.exit(1);
  }
}
