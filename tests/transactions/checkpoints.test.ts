import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ActiveRecord, afterCommit, column, table, TransactionError } from "../../src/index.ts";
import { StateManager } from "../../src/testing/index.ts";
import { decoratorMode } from "../support/mode.ts";
import { Account, freshBackend } from "./support.ts";

@table("cp_parents")
class Parent extends ActiveRecord {
  @column.id() id!: number;
  @column.text() name!: string;
}

@table("cp_children")
class Child extends ActiveRecord {
  @column.id() id!: number;
  @column.integer({ references: { table: "cp_parents", column: "id" } }) parentId!: number;
}

describe(`StateManager checkpoints on libSQL (${decoratorMode})`, () => {
  let db: Awaited<ReturnType<typeof freshBackend>>;
  let manager: StateManager;

  beforeEach(async () => {
    db = await freshBackend("file");
    ActiveRecord.configure(db.backend);
    await Account.createTable();
    await Account.create({ owner: "committed before connect" });
    manager = new StateManager(db.backend);
  });
  afterEach(async () => {
    await manager.disconnect();
    await db.cleanup();
  });

  const owners = async () => (await Account.orderBy("id").pluck("owner")).join(",");

  it("connect / isConnected / disconnect, and disconnect undoes everything since connect", async () => {
    expect(manager.isConnected()).toBe(false);
    await manager.connect();
    expect(manager.isConnected()).toBe(true);
    await Account.create({ owner: "in session" });
    expect(await owners()).toBe("committed before connect,in session");
    await manager.disconnect();
    expect(manager.isConnected()).toBe(false);
    expect(await owners()).toBe("committed before connect");
    await manager.disconnect(); // idempotent
  });

  it("rollback returns to a checkpoint and discards later ones; release keeps the changes", async () => {
    await manager.connect();
    await manager.checkpoint("a");
    await Account.create({ owner: "after a" });
    await manager.checkpoint("b");
    await Account.create({ owner: "after b" });
    expect(manager.checkpoints).toEqual(["a", "b"]);
    await manager.rollback("a");
    expect(manager.checkpoints).toEqual([]);
    expect(await owners()).toBe("committed before connect");

    await manager.checkpoint("c");
    await Account.create({ owner: "kept" });
    await manager.release("c");
    expect(await owners()).toBe("committed before connect,kept");
  });

  it("model code under test nests its transactions in the session and its afterCommit runs at its own commit", async () => {
    await manager.connect();
    await manager.checkpoint("t");
    const log: string[] = [];
    await ActiveRecord.transaction(async () => {
      await Account.create({ owner: "service" });
      void afterCommit(() => log.push("committed"));
    });
    expect(log).toEqual(["committed"]);
    await expect(
      ActiveRecord.transaction(async () => {
        await Account.create({ owner: "failed service" });
        throw new Error("service failed");
      }),
    ).rejects.toThrow("service failed");
    expect(await owners()).toBe("committed before connect,service");
    await manager.rollback("t");
    expect(await owners()).toBe("committed before connect");
  });

  it("reset empties tables, restarts identities, honours tables/exclude, and can itself be rolled back", async () => {
    await Parent.createTable();
    await Child.createTable();
    await manager.connect();
    const p = await Parent.create({ name: "p" });
    await Child.create({ parentId: p.id });
    await manager.checkpoint("before_reset");
    await manager.reset({ exclude: ["accounts"] });
    expect(await Parent.count()).toBe(0);
    expect(await Child.count()).toBe(0);
    expect(await Account.count()).toBe(1);
    expect((await Parent.create({ name: "again" })).id).toBe(1); // identity restarted
    await manager.reset({ tables: ["accounts"] });
    expect(await Account.count()).toBe(0);
    expect((await Account.create({ owner: "fresh" })).id).toBe(1);
    await manager.rollback("before_reset");
    expect(await owners()).toBe("committed before connect");
    expect(await Child.count()).toBe(1);
  });

  it("misuse gives clear errors", async () => {
    await expect(manager.checkpoint("x")).rejects.toThrow(/not connected/);
    await manager.connect();
    await expect(manager.connect()).rejects.toThrow(/already connected/);
    await expect(manager.rollback("nope")).rejects.toThrow(/unknown checkpoint.*no checkpoint is open/);
    await manager.checkpoint("x");
    await expect(manager.checkpoint("x")).rejects.toThrow(/already exists/);
    await expect(manager.checkpoint("bad name; DROP TABLE accounts")).rejects.toThrow(/not valid/);
    await expect(manager.release("y")).rejects.toThrow(/unknown checkpoint.*open checkpoints: x/);
    await manager.rollback("x");
    await expect(manager.release("x")).rejects.toThrow(/already rolled back/);
    await expect(manager.rollback("x")).rejects.toThrow(/already rolled back/);
    await manager.checkpoint("z");
    await manager.release("z");
    await expect(manager.rollback("z")).rejects.toThrow(TransactionError);
    await expect(manager.reset({ tables: ["no_such_table"] })).rejects.toThrow(/no such table: no_such_table/);
    await expect(new StateManager(db.backend).connect()).rejects.toThrow(/another StateManager/);
  });

  it("lets only one of two managers connecting at the same moment win", async () => {
    const other = await freshBackend("memory");
    const [a, b] = [new StateManager(other.backend), new StateManager(other.backend)];
    const results = await Promise.allSettled([a.connect(), b.connect()]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason.message).toMatch(/connected \(or connecting\)/);
    const winner = a.isConnected() ? a : b;
    await winner.disconnect();
    await other.cleanup();
  });
});
