/**
 * Node only: `edgerecord migrate generate <name>` on disk. Reads the stored
 * snapshot (edgerecord.schema.json in the migrations folder), writes the
 * migration file and the new snapshot, and (with `--d1 <dir>`) the same up as
 * a numbered `.sql` file for `wrangler d1 migrations apply`.
 */
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { generateMigration } from "../generate.ts";
import { EMPTY_SNAPSHOT, parseSnapshot, serializeSnapshot, SNAPSHOT_FILE, type ModelClass } from "../snapshot.ts";
import { d1Sql } from "./d1-export.ts";

/** What the CLI hands `generate`. */
export interface GenerateRequest {
  /** The migrations folder (the snapshot lives there too). */
  readonly folder: string;
  /** The migration's name, after its timestamp. */
  readonly name: string;
  /** The models to generate from. */
  readonly models: readonly ModelClass[];
  /** `--rename` hints. */
  readonly renames: readonly string[];
  /** Print, write nothing. */
  readonly dryRun: boolean;
  /** The timestamp prefix of the file name. */
  readonly stamp: string;
  /** wrangler's migrations_dir, for `--d1`. */
  readonly d1?: string;
}

/** Runs `migrate generate`; returns the exit code (0, also when there is nothing to generate). */
export async function generate(request: GenerateRequest, io: { out(line: string): void; err(line: string): void }): Promise<number> {
  const snapshotPath = join(request.folder, SNAPSHOT_FILE);
  const previous = existsSync(snapshotPath) ? parseSnapshot(await readFile(snapshotPath, "utf8")) : EMPTY_SNAPSHOT;
  const result = generateMigration(request.models, previous, { renames: request.renames });
  for (const warning of result.warnings) io.err(`WARNING: ${warning}`);
  if (result.empty) {
    io.out("the models match the schema snapshot: nothing to generate");
    return 0;
  }
  const base = `${request.stamp}_${request.name}`;
  const sql = request.d1 ? await d1Sql(previous, result.up) : undefined;
  if (request.dryRun) {
    io.out(`-- ${base}.ts`);
    io.out(result.source);
    if (sql !== undefined) io.out(`-- ${request.d1}/NNNN_${request.name}.sql\n${sql}`);
    return 0;
  }
  await mkdir(request.folder, { recursive: true });
  const file = join(request.folder, `${base}.ts`);
  await writeFile(file, result.source, { flag: "wx" });
  await writeFile(snapshotPath, serializeSnapshot(result.snapshot));
  io.out(`created ${file}`);
  io.out(`updated ${snapshotPath}`);
  if (request.d1 && sql !== undefined) {
    await mkdir(request.d1, { recursive: true });
    const numbers = (await readdir(request.d1)).map((f) => /^(\d+)_.*\.sql$/.exec(f)?.[1]).filter((n): n is string => n !== undefined).map(Number);
    const next = String(Math.max(0, ...numbers) + 1).padStart(4, "0");
    const sqlFile = join(request.d1, `${next}_${request.name}.sql`);
    await writeFile(sqlFile, sql, { flag: "wx" });
    io.out(`created ${sqlFile}`);
  }
  return 0;
}
