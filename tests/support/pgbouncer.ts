/**
 * A real PgBouncer (Debian's package; .ci/run installs it) in transaction
 * mode, in front of one PostgreSQL server, for one test file: its own config
 * in a temporary directory, a loopback port of its own, run as the postgres
 * OS user, daemonised with a pidfile so `stop()` ends exactly that process.
 * Never the system service.
 */
import { execFile, execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createConnection } from "node:net";
import { freePort } from "./tcp-proxy.ts";
import { PG_BIN } from "./pg-cluster.ts";

const run = promisify(execFile);

export const PGBOUNCER = ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"].find((p) => existsSync(p));

export interface Bouncer {
  readonly port: number;
  /** `postgres://postgres@127.0.0.1:<port>/<database>`: through the pooler. */
  url(database: string): string;
  /** Runs a command on PgBouncer's admin console (simple query protocol only, so through psql). */
  admin(command: string): Promise<string>;
  stop(): Promise<void>;
}

export interface BouncerOptions {
  readonly serverPort: number;
  /** Server connections per (database, user): small, so that a client often lands on a different one. */
  readonly poolSize?: number;
}

export async function startPgBouncer(options: BouncerOptions): Promise<Bouncer> {
  if (!PGBOUNCER) {
    throw new Error("PgBouncer is not installed: apt-get update && apt-get install -y pgbouncer (.ci/run does this on CI)");
  }
  const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
  const dir = mkdtempSync(join(tmpdir(), "edgerecord-pgbouncer-"));
  chownSync(dir, uid, gid);
  const port = await freePort();
  const ini = join(dir, "pgbouncer.ini");
  const pidfile = join(dir, "pgbouncer.pid");
  writeFileSync(join(dir, "userlist.txt"), `"postgres" ""\n`);
  writeFileSync(
    ini,
    `[databases]
* = host=127.0.0.1 port=${options.serverPort}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${port}
unix_socket_dir = ${dir}
auth_type = trust
auth_file = ${join(dir, "userlist.txt")}
pool_mode = transaction
admin_users = postgres
default_pool_size = ${options.poolSize ?? 2}
max_client_conn = 100
logfile = ${join(dir, "pgbouncer.log")}
pidfile = ${pidfile}
ignore_startup_parameters = extra_float_digits
`,
  );
  for (const f of ["pgbouncer.ini", "userlist.txt"]) chownSync(join(dir, f), uid, gid);
  const [file, argv] = process.getuid?.() === 0 ? ["runuser", ["-u", "postgres", "--", PGBOUNCER, "-d", ini]] : [PGBOUNCER, ["-d", ini]];
  let pid: number | undefined;
  const stop = async () => {
    if (pid !== undefined) {
      try {
        process.kill(pid, "SIGINT");
        for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
      } catch {
        // already gone
      }
      pid = undefined;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const onExit = () => {
    if (pid !== undefined && alive(pid)) process.kill(pid, "SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", onExit);
  try {
    await run(file, argv);
    for (let i = 0; i < 200 && !existsSync(pidfile); i++) await new Promise((r) => setTimeout(r, 25));
    pid = Number(readFileSync(pidfile, "utf8").trim());
    await listening(port);
  } catch (error) {
    const log = existsSync(join(dir, "pgbouncer.log")) ? readFileSync(join(dir, "pgbouncer.log"), "utf8") : "";
    await stop();
    throw new Error(`PgBouncer did not start: ${(error as Error).message}\n${log}`, { cause: error });
  }
  return {
    port,
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async admin(command) {
      const { stdout } = await run(join(PG_BIN, "psql"), ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", "pgbouncer", "-Atc", command]);
      return stdout;
    },
    async stop() {
      process.removeListener("exit", onExit);
      await stop();
    },
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls until the port accepts a connection. */
async function listening(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = createConnection(port, "127.0.0.1", () => {
        socket.destroy();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`nothing listens on 127.0.0.1:${port}`);
}
