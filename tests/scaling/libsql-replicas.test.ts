/**
 * libSQL embedded replicas (`syncUrl`), as far as this machine can test them:
 * no libSQL server (sqld, Turso) runs here, so nothing is ever replicated.
 * What is proven: the options reach the engine (it calls `syncUrl` with the
 * `authToken`, observed by a plain HTTP listener in a child process that
 * answers every request with 500: it records, it is not a database), both
 * through the native engine and through @libsql/client; without a server,
 * opening and `sync()` fail as a ConnectionError that names the host and
 * never the token; misconfigurations fail as ConfigurationError.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ConfigurationError, ConnectionError } from "../../src/index.ts";
import { LibsqlBackend } from "../../src/backend/libsql/index.ts";
import { freePort } from "../support/tcp-proxy.ts";

const TOKEN = "secret-token-123";
/** An HTTP listener that prints each request's method, path and Authorization header as a JSON line, and answers 500. */
const RECORDER = `
const http = require("node:http");
const server = http.createServer((req, res) => {
  console.log(JSON.stringify({ method: req.method, path: req.url, authorization: req.headers.authorization ?? null }));
  res.statusCode = 500; res.end("not a libSQL server");
});
server.listen(0, "127.0.0.1", () => console.log("PORT " + server.address().port));`;

describe("libSQL embedded replicas (no server: options and errors only)", () => {
  let dir: string;
  let recorder: ChildProcess;
  let recorderUrl: string;
  const requests: { method: string; path: string; authorization: string | null }[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "er-libsql-replica-"));
    // A child process: the native engine's open and sync block this thread, so a listener here could never answer.
    recorder = spawn(process.execPath, ["-e", RECORDER], { stdio: ["ignore", "pipe", "inherit"] });
    recorderUrl = await new Promise<string>((resolve, reject) => {
      let buffer = "";
      recorder.once("error", reject);
      recorder.stdout!.on("data", (chunk: Buffer) => {
        buffer += chunk.toString();
        let at: number;
        while ((at = buffer.indexOf("\n")) >= 0) {
          const line = buffer.slice(0, at);
          buffer = buffer.slice(at + 1);
          if (line.startsWith("PORT ")) resolve(`http://127.0.0.1:${line.slice(5)}`);
          else requests.push(JSON.parse(line));
        }
      });
    });
  });
  afterAll(() => {
    recorder?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const driver of ["native", "client"] as const) {
    it(`${driver}: syncUrl and authToken reach the engine, which calls the primary with the token`, async () => {
      const before = requests.length;
      const backend = new LibsqlBackend({ url: `file:${join(dir, `seen-${driver}.db`)}`, syncUrl: recorderUrl, authToken: TOKEN, syncInterval: 3600, driver });
      // Whether opening succeeds against a listener that answers 500 is libSQL's business; that it called is ours.
      await backend.connect().catch(() => undefined);
      await backend.disconnect();
      // The recorder's lines arrive once this thread is free again (the native open blocked it): wait for them.
      await vi.waitFor(() => expect(requests.slice(before)).toContainEqual({ method: "GET", path: "/info", authorization: `Bearer ${TOKEN}` }), { timeout: 10_000 });
    });

    it(`${driver}: without a reachable primary, opening and sync() fail as a ConnectionError naming the host, not the token`, async () => {
      const port = await freePort(); // nothing listens there
      const backend = new LibsqlBackend({ url: `file:${join(dir, `refused-${driver}.db`)}`, syncUrl: `http://127.0.0.1:${port}`, authToken: TOKEN, driver });
      const error = await backend.sync().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectionError);
      expect(String((error as Error).message)).toMatch(/connect/i);
      expect(String((error as Error).message)).not.toContain(TOKEN);
      await backend.disconnect();
    });
  }

  it("sync() without syncUrl, and syncUrl without a file, are configuration errors", async () => {
    const plain = new LibsqlBackend({ url: ":memory:" });
    await expect(plain.sync()).rejects.toBeInstanceOf(ConfigurationError);
    await expect(plain.sync()).rejects.toThrow(/syncUrl/);
    await plain.disconnect();
    expect(() => new LibsqlBackend({ url: ":memory:", syncUrl: "libsql://db.example.com" })).toThrow(ConfigurationError);
    expect(() => new LibsqlBackend({ url: "libsql://db.example.com", syncUrl: "libsql://db.example.com" })).toThrow(/needs a file: url/);
  });
});
