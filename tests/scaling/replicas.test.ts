/**
 * Read replicas on real PostgreSQL 15: a primary and a streaming replica
 * started for this file (tests/support/pg-cluster.ts), never the system
 * cluster. Which node answered is read from the server itself:
 * `pg_is_in_recovery()` is true only on the replica, and `node_probe` is a
 * view of it that a model reads like any table.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import postgres from "postgres";
import { ActiveRecord, column, QueryError, table, type QueryEvent } from "../../src/index.ts";
import { PostgresBackend } from "../../src/backend/postgres/index.ts";
import { decoratorMode } from "../support/mode.ts";
import { startTopology, type Topology } from "../support/pg-cluster.ts";
import { freePort } from "../support/tcp-proxy.ts";

@table("notes")
class Note extends ActiveRecord {
  @column.id() id!: number;
  @column.text() body!: string;
}

/** One row that says which server answered. */
@table("node_probe")
class NodeProbe extends ActiveRecord {
  @column.integer({ primaryKey: true }) id!: number;
  @column.boolean({ name: "in_recovery" }) inRecovery!: boolean;
}

/** The same table, on a set whose read-your-writes window is 0 ms: reads go back to a replica at once. */
class WindowProbe extends NodeProbe {}
/** On a set whose first replica is down (nothing listens on its port). */
class FailoverProbe extends NodeProbe {}
/** On a set that sends raw SELECT text to a replica too. */
class RawReadNote extends Note {}

const answeredBy = async (probe: typeof NodeProbe = NodeProbe): Promise<"replica" | "primary"> =>
  ((await probe.first())!.inRecovery ? "replica" : "primary");

describe(`read replicas on real PostgreSQL (${decoratorMode})`, () => {
  let topology: Topology;
  let replicaAdmin: postgres.Sql;

  beforeAll(async () => {
    topology = await startTopology();
    const primary = { url: topology.primary.url, max: 4 };
    // A password in the replica's URL (trust auth ignores it) must never reach a message.
    const replica = { url: topology.replica.url.replace("postgres@", "postgres:s3cret-pw@"), max: 4 };
    ActiveRecord.configure({ primary, replicas: [replica] }, PostgresBackend);
    WindowProbe.configure({ primary, replicas: [replica], stickyWindow: 0 }, PostgresBackend);
    const dead = { url: `postgres://postgres@127.0.0.1:${await freePort()}/postgres`, connectTimeout: 2000 };
    FailoverProbe.configure({ primary, replicas: [dead, replica], pick: (nodes) => nodes[0]! }, PostgresBackend);
    RawReadNote.configure({ primary, replicas: [replica], rawReads: "replica" }, PostgresBackend);
    await Note.createTable();
    await ActiveRecord.execute("CREATE VIEW node_probe AS SELECT 1 AS id, pg_is_in_recovery() AS in_recovery");
    await topology.caughtUp();
    replicaAdmin = postgres(topology.replica.url, { max: 1, onnotice: () => undefined });
  }, 120_000);

  afterAll(async () => {
    await replicaAdmin?.end({ timeout: 1 }).catch(() => undefined);
    await ActiveRecord.disconnectAll();
    await topology?.stop();
  });

  it("serves plain reads from the replica, and from the primary when asked", async () => {
    expect(await answeredBy()).toBe("replica");
    expect((await NodeProbe.where({ id: 1 }).onPrimary().first())!.inRecovery).toBe(false);
    expect(await ActiveRecord.onPrimary(() => answeredBy())).toBe("primary");
    // After onPrimary, reads go back to the replica.
    expect(await answeredBy()).toBe("replica");
  });

  it("sends raw SQL to the primary unless the configuration says raw SELECTs may read a replica", async () => {
    const [own] = await ActiveRecord.raw("SELECT pg_is_in_recovery() AS r");
    expect(own!["r"]).toBe(false);
    const [raw] = await RawReadNote.raw("SELECT pg_is_in_recovery() AS r");
    expect(raw!["r"]).toBe(true);
  });

  it("runs a row-locking read on the primary (a hot standby cannot lock rows)", async () => {
    await Note.create({ body: "locked" });
    await topology.caughtUp();
    const locked = await ActiveRecord.transaction(() => Note.where({ body: "locked" }).forUpdate().first());
    expect(locked?.body).toBe("locked");
    expect((await Note.where({ body: "locked" }).forUpdate().first())?.body).toBe("locked");
  });

  it("reads its own writes in a request scope even while the replica's replay is paused", async () => {
    await replicaAdmin`SELECT pg_wal_replay_pause()`;
    try {
      await ActiveRecord.requestScope(async () => {
        expect(await answeredBy()).toBe("replica"); // nothing written yet in this request
        const note = await Note.create({ body: "mine" });
        expect((await Note.findOrFail(note.id)).body).toBe("mine");
        expect(await answeredBy()).toBe("primary");
      });
      // Another request has not written: it reads the replica, which has not replayed the write.
      await ActiveRecord.requestScope(async () => {
        expect(await answeredBy()).toBe("replica");
        expect(await Note.findBy({ body: "mine" })).toBeNull();
      });
      // A transaction counts as a write for the rest of the request.
      await ActiveRecord.requestScope(async () => {
        await ActiveRecord.transaction(async () => {
          await Note.create({ body: "in a transaction" });
        });
        expect((await Note.findBy({ body: "in a transaction" }))?.body).toBe("in a transaction");
      });
      // With a window of 0 ms, a request's reads return to the replica right after its write.
      await ActiveRecord.requestScope(async () => {
        await Note.create({ body: "windowed" });
        expect(await answeredBy(WindowProbe)).toBe("replica");
      });
    } finally {
      await replicaAdmin`SELECT pg_wal_replay_resume()`;
    }
    await topology.caughtUp();
    expect(await Note.findBy({ body: "mine" })).not.toBeNull();
  });

  it("never lets a transaction touch a replica", async () => {
    await replicaAdmin`SELECT pg_wal_replay_pause()`;
    try {
      const seen = await ActiveRecord.transaction(async () => {
        const before = await answeredBy();
        const note = await Note.create({ body: "tx" });
        const nested = await ActiveRecord.transaction(async () => [await answeredBy(), (await Note.findOrFail(note.id)).body]);
        return [before, ...nested, await Note.where({ id: note.id }).count()];
      });
      expect(seen).toEqual(["primary", "primary", "tx", 1]);
      expect(await ActiveRecord.transaction(() => answeredBy(), { readOnly: true })).toBe("primary");
    } finally {
      await replicaAdmin`SELECT pg_wal_replay_resume()`;
    }
  });

  it("skips a replica that is down, and names the node (never its password) in other errors", async () => {
    // The picked replica refuses connections: the read goes to the next one.
    expect(await answeredBy(FailoverProbe)).toBe("replica");
    expect(await answeredBy(FailoverProbe)).toBe("replica");
    const error = await RawReadNote.raw("SELECT * FROM no_such_table").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryError);
    expect(String((error as Error).message)).toMatch(/^replica 1 \(127\.0\.0\.1:\d+\/postgres\): /);
    expect(String((error as Error).message)).not.toContain("s3cret-pw");
  });

  it("reports every statement to query listeners: node, transaction, parameter count, errors", async () => {
    const events: QueryEvent[] = [];
    const off = ActiveRecord.on("query", (e) => void events.push(e));
    try {
      await Note.where({ body: "nothing" }).first();
      await ActiveRecord.transaction(() => Note.create({ body: "seen" }));
      await Note.raw("SELECT * FROM no_such_table").catch(() => undefined);
      ActiveRecord.on("query", () => {
        throw new Error("a listener that throws changes nothing");
      })();
    } finally {
      off();
    }
    await Note.count(); // after off(): not reported
    expect(events.map((e) => [e.kind, e.node, e.inTransaction, e.paramCount, e.error === undefined])).toEqual([
      ["read", "replica", false, 2, true],
      ["insert", "primary", true, 1, true],
      [undefined, "primary", false, 0, false],
    ]);
    expect(events[0]!.sql).toMatch(/^SELECT .* FROM "notes"/);
    expect(events.every((e) => e.duration >= 0)).toBe(true);
    expect(events[2]!.error).toBeInstanceOf(QueryError);
  });

  it("serves reads from the primary once the only replica is stopped", async () => {
    await topology.replica.stop();
    expect(await answeredBy()).toBe("primary");
    expect(await answeredBy(FailoverProbe)).toBe("primary");
    expect(await Note.count()).toBeGreaterThan(0);
    // Writes never depended on it.
    await expect(Note.create({ body: "after the replica stopped" })).resolves.toBeDefined();
  });
});
