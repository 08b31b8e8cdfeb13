/**
 * Node only: a migrations folder read into the object `migrate()` takes.
 * `.ts`/`.js` files are imported (their `up`/`down`/`change` exports), `.sql`
 * files read as text; the name is the file name without its extension.
 */
import { readdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { MigrationSource, Migrations } from "../migration.ts";

const MIGRATION_FILE = /^(?!.*\.d\.ts$)(.+)\.(ts|mts|js|mjs|sql)$/;

export async function loadMigrationFolder(folder: string): Promise<Migrations> {
  const dir = resolve(folder);
  let files: string[];
  try {
    files = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw error;
  }
  const out: Record<string, MigrationSource> = {};
  for (const file of files.sort()) {
    const match = MIGRATION_FILE.exec(file);
    if (!match) continue;
    const path = join(dir, file);
    out[match[1]!] = match[2] === "sql" ? await readFile(path, "utf8") : ((await import(pathToFileURL(path).href)) as MigrationSource);
  }
  return out;
}
