/**
 * Runs a runtime as a child process and pulls the scenario's report out of
 * its output. Every way it can go wrong (binary missing, non-zero exit, no
 * report line) throws with the child's stderr, so a runtime that cannot run
 * fails the test loudly instead of passing.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** Where the runtime matrix is installed: its own package.json and lockfile, kept out of the root install. */
export const toolchainDir = `${repoRoot}tests/runtimes/toolchain/`;

/**
 * A runtime binary installed by its npm package in tests/runtimes/toolchain (which
 * `npm test`, and vitest's globalSetup, install with scripts/ensure-installed.mjs),
 * or a loud error saying how to get it.
 */
export function binary(name: "deno" | "bun"): string {
  const path = `${toolchainDir}node_modules/.bin/${name}`;
  if (!existsSync(path)) {
    throw new Error(`${name} is not installed: it comes from tests/runtimes/toolchain/package.json; run node scripts/ensure-installed.mjs (npm registry only).`);
  }
  return path;
}

export interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function run(command: string, args: readonly string[], options: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: "1", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: options.timeoutMs ?? 60_000,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const MARK = "EDGERECORD_REPORT ";

/** The JSON the scenario printed; throws with everything the child said when there is none. */
export function reportOf(result: ChildResult, what: string): unknown {
  const line = result.stdout.split("\n").find((l) => l.startsWith(MARK));
  if (result.code !== 0 || !line) {
    throw new Error(`${what} exited ${result.code} without a report.\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`);
  }
  return JSON.parse(line.slice(MARK.length));
}
