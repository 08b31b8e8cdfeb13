import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { LibsqlBackend } from "../../src/backend/libsql/index.ts";
import { runBackendConformance } from "../../src/testing/index.ts";
import { decoratorMode } from "../support/mode.ts";

const runner = { describe, it, beforeAll, afterAll };

runBackendConformance({
  ...runner,
  name: `libSQL :memory: (${decoratorMode})`,
  makeBackend: () => new LibsqlBackend({ url: ":memory:" }),
});

function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), "edgerecord-conformance-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

{
  const tmp = tempDir();
  runBackendConformance({
    ...runner,
    name: `libSQL file (${decoratorMode})`,
    makeBackend: () => new LibsqlBackend({ url: `file:${join(tmp.dir, "native.db")}` }),
    cleanup: tmp.remove,
  });
}

{
  const tmp = tempDir();
  runBackendConformance({
    ...runner,
    name: `libSQL file through @libsql/client (${decoratorMode})`,
    makeBackend: () => new LibsqlBackend({ url: `file:${join(tmp.dir, "client.db")}`, driver: "client" }),
    cleanup: tmp.remove,
  });
}
