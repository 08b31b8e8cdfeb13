/**
 * A real PostgreSQL 15 primary and streaming replica for one test file, never
 * the system cluster: each on a loopback port of its own, in a temporary
 * directory, run as the `postgres` OS user (the tests run as root, which
 * initdb refuses), with the machine's own initdb, pg_basebackup -R and pg_ctl.
 * Durability is off (fsync, full_page_writes) and buffers are small: these
 * clusters live for one file. `stop()` stops both and removes the directory;
 * a process exit without it (a crashed worker) still stops them.
 */
import { execFile, execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, appendFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import postgres from "postgres";
import { freePort } from "./tcp-proxy.ts";

const run = promisify(execFile);
export const PG_BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";

export interface Node {
  readonly port: number;
  readonly dir: string;
  readonly url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface Topology {
  readonly primary: Node;
  readonly replica: Node;
  readonly dir: string;
  /** Waits until the replica has replayed everything the primary has written so far. */
  caughtUp(): Promise<void>;
  /** Stops both servers and removes their directory. Safe to call twice. */
  stop(): Promise<void>;
}

/** The postgres OS user's ids: directories must be theirs, and commands run as them when we are root. */
function postgresUser(): { uid: number; gid: number } {
  const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
  return { uid, gid };
}

function asPostgres(command: string, args: string[]): [string, string[]] {
  const tool = join(PG_BIN, command);
  return process.getuid?.() === 0 ? ["runuser", ["-u", "postgres", "--", tool, ...args]] : [tool, args];
}

async function pg(command: string, args: string[]): Promise<string> {
  const [file, argv] = asPostgres(command, args);
  try {
    const { stdout } = await run(file, argv, { cwd: "/tmp", maxBuffer: 4 << 20 });
    return stdout;
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${command} failed: ${e.stderr || e.stdout || e.message}`, { cause: error });
  }
}

function makeNode(dir: string, port: number): Node {
  return {
    port,
    dir,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async start() {
      await pg("pg_ctl", ["-D", dir, "-l", `${dir}.log`, "-w", "-t", "60", "start"]);
    },
    async stop() {
      if (existsSync(join(dir, "postmaster.pid"))) await pg("pg_ctl", ["-D", dir, "-m", "immediate", "-w", "stop"]);
    },
  };
}

const SETTINGS = (port: number, socketDir: string) => `
port = ${port}
listen_addresses = '127.0.0.1'
unix_socket_directories = '${socketDir}'
fsync = off
full_page_writes = off
shared_buffers = 16MB
max_connections = 40
wal_level = replica
max_wal_senders = 4
hot_standby = on
hot_standby_feedback = on
max_standby_streaming_delay = -1
logging_collector = off
`;

const running = new Set<Topology>();
let exitHook = false;

/** Starts a primary and a streaming replica of it. Check `bin` first with `clusterToolsPresent()`. */
export async function startTopology(): Promise<Topology> {
  const { uid, gid } = postgresUser();
  const dir = mkdtempSync(join(tmpdir(), "edgerecord-pg-"));
  chownSync(dir, uid, gid);
  const [primaryPort, replicaPort] = [await freePort(), await freePort()];
  const primary = makeNode(join(dir, "primary"), primaryPort);
  const replica = makeNode(join(dir, "replica"), replicaPort);
  let stopped = false;
  const topology: Topology = {
    primary,
    replica,
    dir,
    caughtUp: () => caughtUp(primary.url, replica.url),
    async stop() {
      if (stopped) return;
      stopped = true;
      running.delete(topology);
      await Promise.allSettled([replica.stop(), primary.stop()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  running.add(topology);
  if (!exitHook) {
    exitHook = true;
    // A worker that dies without afterAll still stops what it started (synchronously: exit handlers cannot wait).
    process.once("exit", () => {
      for (const t of running) {
        for (const node of [t.replica, t.primary]) {
          const [file, argv] = asPostgres("pg_ctl", ["-D", node.dir, "-m", "immediate", "stop"]);
          try {
            if (existsSync(join(node.dir, "postmaster.pid"))) execFileSync(file, argv, { stdio: "ignore" });
          } catch {
            // already gone
          }
        }
        rmSync(t.dir, { recursive: true, force: true });
      }
    });
  }
  try {
    await pg("initdb", ["-D", primary.dir, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"]);
    appendFileSync(join(primary.dir, "postgresql.conf"), SETTINGS(primaryPort, dir));
    await primary.start();
    await pg("pg_basebackup", ["-h", "127.0.0.1", "-p", String(primaryPort), "-U", "postgres", "-D", replica.dir, "-R", "-X", "stream", "--checkpoint=fast", "--no-sync"]);
    // The copy holds the primary's settings; the last `port` line wins.
    appendFileSync(join(replica.dir, "postgresql.conf"), `\nport = ${replicaPort}\n`);
    await replica.start();
    await caughtUp(primary.url, replica.url);
    return topology;
  } catch (error) {
    await topology.stop();
    throw error;
  }
}

/**
 * Polls (no fixed sleep decides anything) until the replica has replayed
 * what the primary has written. Commits are written when they return
 * (synchronous_commit stays on; with fsync off it costs nothing), and the
 * write position, unlike the insert position, never points past the last
 * record into a page header that only the next record would reach.
 */
async function caughtUp(primaryUrl: string, replicaUrl: string): Promise<void> {
  const p = postgres(primaryUrl, { max: 1, onnotice: () => undefined });
  const r = postgres(replicaUrl, { max: 1, onnotice: () => undefined });
  try {
    const [{ lsn }] = (await p<{ lsn: string }[]>`SELECT pg_current_wal_lsn()::text AS lsn`) as unknown as [{ lsn: string }];
    for (let i = 0; i < 600; i++) {
      const [{ done }] = (await r<{ done: boolean }[]>`SELECT coalesce(pg_last_wal_replay_lsn() >= ${lsn}::pg_lsn, false) AS done`) as unknown as [{ done: boolean }];
      if (done) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error("the replica did not catch up with the primary within 30 s");
  } finally {
    await Promise.all([p.end({ timeout: 1 }), r.end({ timeout: 1 })]);
  }
}

/** One server of its own (no replica), e.g. behind a PgBouncer: `stop()` stops it and removes its directory. */
export async function startServer(): Promise<Node & { readonly root: string; remove(): Promise<void> }> {
  const { uid, gid } = postgresUser();
  const root = mkdtempSync(join(tmpdir(), "edgerecord-pg-"));
  chownSync(root, uid, gid);
  const node = makeNode(join(root, "server"), await freePort());
  const remove = async () => {
    await node.stop().catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  };
  const onExit = () => {
    const [file, argv] = asPostgres("pg_ctl", ["-D", node.dir, "-m", "immediate", "stop"]);
    try {
      if (existsSync(join(node.dir, "postmaster.pid"))) execFileSync(file, argv, { stdio: "ignore" });
    } catch {
      // already gone
    }
    rmSync(root, { recursive: true, force: true });
  };
  process.once("exit", onExit);
  try {
    await pg("initdb", ["-D", node.dir, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"]);
    appendFileSync(join(node.dir, "postgresql.conf"), SETTINGS(node.port, root));
    await node.start();
  } catch (error) {
    process.removeListener("exit", onExit);
    await remove();
    throw error;
  }
  return {
    ...node,
    root,
    async remove() {
      process.removeListener("exit", onExit);
      await remove();
    },
  };
}

/** Whether this machine can start clusters: PostgreSQL 15's tools and a `postgres` OS user. */
export function clusterToolsPresent(): boolean {
  try {
    postgresUser();
  } catch {
    return false;
  }
  return existsSync(join(PG_BIN, "initdb")) && existsSync(join(PG_BIN, "pg_basebackup"));
}
