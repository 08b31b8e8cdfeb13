/** Real libSQL databases for tests: in memory, or a file in a temp folder that is removed afterwards. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LibsqlBackend, type LibsqlConfig } from "../../src/backend/libsql/index.ts";

export type LibsqlKind = "memory" | "file";
export const LIBSQL_KINDS: readonly LibsqlKind[] = ["memory", "file"];

export interface TestDatabase {
  readonly backend: LibsqlBackend;
  readonly url: string;
  close(): Promise<void>;
}

export function openLibsql(kind: LibsqlKind, config: Partial<LibsqlConfig> = {}): TestDatabase {
  if (kind === "memory") {
    const backend = new LibsqlBackend({ url: ":memory:", ...config });
    return { backend, url: ":memory:", close: () => backend.disconnect() };
  }
  const dir = mkdtempSync(join(tmpdir(), "edgerecord-"));
  const url = `file:${join(dir, "test.db")}`;
  const backend = new LibsqlBackend({ url, ...config });
  return {
    backend,
    url,
    async close() {
      await backend.disconnect();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
