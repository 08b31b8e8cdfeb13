/**
 * `npm ci` must work from the committed lockfiles on every platform a
 * contributor uses (macOS, Windows, Linux on x64 and arm64), not only on the
 * machine that wrote them. npm refuses a lockfile that lacks an optional
 * dependency some package declares (for instance the other platforms' builds
 * of a native tool), calling it out of sync. Each lockfile here must hold every
 * optional dependency of every package it locks, and each package that has
 * install scripts must be decided in its package.json's `allowScripts`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const folders = ["", "tests/runtimes/toolchain", "bench/peers"];

interface LockEntry {
  version?: string;
  optionalDependencies?: Record<string, string>;
  hasInstallScript?: boolean;
  os?: string[];
}

/** The lockfile entry Node would load `name` from, for the package at `from` (walking up node_modules folders). */
function lookup(packages: Record<string, LockEntry>, from: string, name: string): LockEntry | undefined {
  let base = from;
  for (;;) {
    const hit = packages[base ? `${base}/node_modules/${name}` : `node_modules/${name}`];
    if (hit) return hit;
    if (!base) return undefined;
    const cut = base.lastIndexOf("/node_modules/");
    base = cut >= 0 ? base.slice(0, cut) : "";
  }
}

describe.each(folders)("the lockfile in ./%s", (folder) => {
  const read = (file: string) => JSON.parse(readFileSync(join(repo, folder, file), "utf8"));
  const lock = read("package-lock.json") as { lockfileVersion: number; packages: Record<string, LockEntry> };
  const manifest = read("package.json") as { allowScripts?: Record<string, boolean> };

  it("holds every optional dependency, for every platform", () => {
    const missing: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
        if (!lookup(lock.packages, path, name)) missing.push(`${name}@${version} (of ${path || "the root"})`);
      }
    }
    expect(lock.lockfileVersion).toBeGreaterThanOrEqual(2);
    expect(missing).toEqual([]);
  });

  it("locks builds for macOS, Windows and Linux wherever it locks a platform build", () => {
    const platforms = new Set(Object.values(lock.packages).flatMap((entry) => entry.os ?? []));
    if (platforms.size > 0) expect([...platforms]).toEqual(expect.arrayContaining(["darwin", "linux", "win32"]));
  });

  it("decides in allowScripts every package that has install scripts", () => {
    const withScripts = new Set(
      Object.entries(lock.packages)
        .filter(([path, entry]) => path && entry.hasInstallScript)
        .map(([path]) => path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length)),
    );
    expect(Object.keys(manifest.allowScripts ?? {}).sort()).toEqual([...withScripts].sort());
  });
});
