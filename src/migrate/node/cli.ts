/**
 * The `edgerecord` command (Node only):
 *
 *     edgerecord migrate make <name>
 *     edgerecord migrate up [--dry-run] [--strict-order]      (alias: latest)
 *     edgerecord migrate down [--step N | --to <name>] [--dry-run]
 *     edgerecord migrate redo [--dry-run]
 *     edgerecord migrate status
 *     edgerecord migrate generate <name> [--rename table.column:new_column] [--rename old_table:new_table] [--d1 <dir>] [--dry-run]
 *
 * It reads `edgerecord.config.ts` (or `--config <file>`): a default export
 * `{ backend: () => Backend, migrations?: "migrations", models?: [User, Post] }`. Every failure is a
 * message on stderr and a non-zero exit code: 1 for a failed migration or a
 * database error (and for `status`: changed or missing files, or drift between
 * the models and the database), 2 for a usage error (a `--rename` hint that is
 * malformed or renames nothing included).
 */
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Backend } from "../../backend/backend.ts";
import { EdgeRecordError } from "../../errors.ts";
import { migrate, rollback, status, type MigrationRun } from "../runner.ts";
import { loadMigrationFolder } from "./load.ts";
import { generate } from "./generate.ts";
import { snapshotFromModels, type ModelClass } from "../snapshot.ts";
import { detectDrift } from "../drift.ts";
import { RenameHintError } from "../errors.ts";

export interface CliConfig {
  /** Makes the backend to migrate (read its URL from the environment here). */
  readonly backend: () => Backend | Promise<Backend>;
  /** The migrations folder, relative to the config file's folder (default "migrations"). */
  readonly migrations?: string;
  /** The model classes: what `generate` writes migrations for, and `status` checks the database against (drift). */
  readonly models?: readonly ModelClass[];
}

/** Identity, for typing a config file: `export default defineConfig({ ... })`. */
export function defineConfig(config: CliConfig): CliConfig {
  return config;
}

class UsageError extends Error {}

const USAGE = `usage:
  edgerecord migrate make <name>
  edgerecord migrate up [--dry-run] [--strict-order]
  edgerecord migrate down [--step N | --to <name>] [--dry-run]
  edgerecord migrate redo [--dry-run]
  edgerecord migrate status
  edgerecord migrate generate <name> [--rename table.column:new_column] [--rename old_table:new_table] [--d1 <dir>] [--dry-run]
options: --config <file> (default ./edgerecord.config.ts)`;

interface Parsed {
  readonly command: string;
  readonly args: string[];
  readonly flags: Map<string, string | true>;
  readonly renames: string[];
}

function parse(argv: readonly string[]): Parsed {
  const [group, command, ...rest] = argv;
  if (group !== "migrate" || !command) throw new UsageError(USAGE);
  const flags = new Map<string, string | true>();
  const args: string[] = [];
  const renames: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (!arg.startsWith("--")) {
      args.push(arg);
      continue;
    }
    const [key, inline] = arg.slice(2).split("=", 2) as [string, string | undefined];
    const takesValue = key === "step" || key === "to" || key === "config" || key === "rename" || key === "d1";
    if (takesValue) {
      const value = inline ?? rest[++i];
      if (value === undefined || value.startsWith("--")) throw new UsageError(`--${key} needs a value`);
      if (key === "rename") renames.push(value);
      else flags.set(key, value);
    } else if (["dry-run", "strict-order"].includes(key)) flags.set(key, true);
    else throw new UsageError(`unknown option --${key}\n${USAGE}`);
  }
  return { command, args, flags, renames };
}

const stamp = (d: Date) => d.toISOString().replace(/[-:T]/g, "").slice(0, 14);

const TEMPLATE = `import type { SchemaBuilder } from "edgerecord/migrate";

export function up(schema: SchemaBuilder): void {
  // schema.createTable("things", (t) => { t.integer("id", { primaryKey: true, autoIncrement: true }); });
}

export function down(schema: SchemaBuilder): void {
  // schema.dropTable("things");
}
`;

function printRuns(runs: readonly MigrationRun[], out: (line: string) => void, dryRun: boolean): void {
  if (runs.length === 0) out(dryRun ? "nothing to run" : "nothing to do");
  for (const run of runs) {
    if (!dryRun) continue;
    out(`-- ${run.name} (${run.direction})`);
    for (const s of run.statements) out(`${s.sql};${s.params.length ? ` -- params: ${JSON.stringify(s.params)}` : ""}`);
  }
}

export async function main(argv: readonly string[], io = { out: (l: string) => console.log(l), err: (l: string) => console.error(l) }): Promise<number> {
  let backend: Backend | undefined;
  try {
    const { command, args, flags, renames } = parse(argv);
    const configPath = resolve(String(flags.get("config") ?? "edgerecord.config.ts"));
    if (!existsSync(configPath)) throw new UsageError(`no config file at ${configPath} (write one, or pass --config <file>)`);
    const config = ((await import(pathToFileURL(configPath).href)) as { default?: CliConfig }).default;
    if (!config || typeof config.backend !== "function") throw new UsageError(`${configPath} must export default { backend: () => Backend, migrations: "migrations" }`);
    const folder = resolve(configPath, "..", config.migrations ?? "migrations");

    if (command === "make") {
      const name = args[0];
      if (!name || !/^[A-Za-z0-9_-]+$/.test(name)) throw new UsageError("usage: edgerecord migrate make <name> (letters, digits, _ and -)");
      await mkdir(folder, { recursive: true });
      const file = join(folder, `${stamp(new Date())}_${name}.ts`);
      await writeFile(file, TEMPLATE, { flag: "wx" });
      io.out(`created ${file}`);
      return 0;
    }

    if (command === "generate") {
      const name = args[0];
      if (!name || !/^[A-Za-z0-9_-]+$/.test(name)) throw new UsageError("usage: edgerecord migrate generate <name> (letters, digits, _ and -)");
      if (!Array.isArray(config.models) || config.models.length === 0) throw new UsageError(`${configPath} must list the models to generate from: export default { ..., models: [User, Post] }`);
      const d1 = flags.get("d1");
      if (d1 !== undefined && typeof d1 !== "string") throw new UsageError("--d1 needs the folder wrangler reads (its migrations_dir)");
      const d1Folder = typeof d1 === "string" ? resolve(d1) : undefined;
      if (d1Folder === folder) throw new UsageError("--d1 must name another folder than the migrations folder (both would hold .sql migrations)");
      return await generate({ folder, name, models: config.models, renames, dryRun: flags.has("dry-run"), stamp: stamp(new Date()), ...(d1Folder && { d1: d1Folder }) }, io);
    }

    const migrations = await loadMigrationFolder(folder);
    backend = await config.backend();
    const dryRun = flags.has("dry-run");
    const log = (m: string) => (m.startsWith("warning") ? io.err(m) : io.out(m));
    switch (command) {
      case "up":
      case "latest":
        printRuns(await migrate(backend, { migrations, dryRun, strictOrder: flags.has("strict-order"), log }), io.out, dryRun);
        return 0;
      case "down": {
        const to = flags.get("to");
        const step = flags.has("step") ? Number(flags.get("step")) : undefined;
        if (step !== undefined && (!Number.isInteger(step) || step < 1)) throw new UsageError("--step needs a positive integer");
        printRuns(await rollback(backend, { migrations, dryRun, log, ...(typeof to === "string" && { to }), ...(step !== undefined && { step }) }), io.out, dryRun);
        return 0;
      }
      case "redo": {
        const down = await rollback(backend, { migrations, dryRun, log });
        // A dry run cannot show the up after a down it did not run: it shows the down, then the up as it would be compiled now.
        const up = dryRun ? down.map((r) => ({ ...r, direction: "up" as const, statements: [] })) : await migrate(backend, { migrations, log });
        printRuns([...down, ...up], io.out, dryRun);
        return 0;
      }
      case "status": {
        const report = await status(backend, { migrations });
        const changed = new Set(report.changed);
        for (const row of report.applied) io.out(`applied  ${row.name} (batch ${row.batch})${changed.has(row.name) ? "  CHANGED since applied" : ""}${report.missing.includes(row.name) ? "  MISSING file" : ""}`);
        for (const name of report.pending) io.out(`pending  ${name}${report.outOfOrder.includes(name) ? "  (older than applied ones)" : ""}`);
        let drift = 0;
        if (Array.isArray(config.models) && config.models.length) {
          const found = await detectDrift(backend, snapshotFromModels(config.models));
          drift = found.length;
          for (const d of found) io.out(`drift    ${d.message}`);
          if (!drift) io.out("no drift: the database matches the models");
        }
        return report.changed.length || report.missing.length || drift ? 1 : 0;
      }
      default:
        throw new UsageError(`unknown command "${command}"\n${USAGE}`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(error.message);
      return 2;
    }
    // A hint that is malformed or renames nothing is a mistake in the command line, not in the schema.
    if (error instanceof RenameHintError) {
      io.err(`edgerecord: ${error.message}\nusage: --rename table.column:new_column (a column dropped from the snapshot and added in the models) or --rename old_table:new_table`);
      return 2;
    }
    io.err(`edgerecord: ${error instanceof EdgeRecordError ? `${error.name} [${error.code}]: ` : ""}${(error as Error).message}`);
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof Error) io.err(`  caused by: ${cause.message}`);
    return 1;
  } finally {
    await backend?.disconnect().catch(() => undefined);
  }
}
