/**
 * Records after a rollback (Rails' restore_transaction_record_state), and the
 * version of a soft delete, on libSQL and PostgreSQL. A record written in a
 * transaction or savepoint that rolls back (a throwing after-hook included)
 * gets back its persisted flag, key and dirty state; only the records of the
 * level that rolled back are touched.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ActiveRecord, afterCreate, column, StaleRecordError, table, type Backend } from "../../src/index.ts";
import { BACKENDS } from "../support/backends.ts";
import { decoratorMode } from "../support/mode.ts";

@table("rs_items")
class Item extends ActiveRecord {
  @column.id() id!: number;
  @column.text() name!: string;
  @column.version() version!: number;
  @column.datetime({ autoCreate: true, nullable: true }) createdAt!: Date | null;
}

@table("rs_hooked")
class Hooked extends ActiveRecord {
  @column.id() id!: number;
  @column.text() name!: string;

  @afterCreate()
  explode() {
    if (this.name === "explode") throw new Error("after-hook failed");
  }
}

@table("rs_soft")
class Soft extends ActiveRecord {
  @column.id() id!: number;
  @column.text() name!: string;
  @column.version() version!: number;
  @column.deletedAt() deletedAt!: Date | null;
}

const rollback = new Error("roll back");
const rolledBack = (work: () => Promise<unknown>) =>
  ActiveRecord.transaction(async () => {
    await work();
    throw rollback;
  }).catch((error: unknown) => {
    if (error !== rollback) throw error;
  });

describe.each(BACKENDS)(`record state after a rollback on $name (${decoratorMode})`, (fixture) => {
  let backend: Backend;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ backend, close } = await fixture.open());
    ActiveRecord.configure(backend);
    for (const model of [Item, Hooked, Soft]) await model.createTable();
  });
  afterEach(() => close());

  it("records from insertMany in a rolled-back transaction are new again, and save for real afterwards", async () => {
    let items: Item[] = [];
    await rolledBack(async () => {
      items = await Item.insertMany([{ name: "a" }, { name: "b" }]);
      expect(items.every((i) => i.isPersisted)).toBe(true);
    });
    expect(items.map((i) => [i.isPersisted, i.id])).toEqual([[false, undefined], [false, undefined]]);
    await Promise.all(items.map((i) => i.save()));
    expect(await Item.orderBy("name").pluck("name")).toEqual(["a", "b"]);
  });

  it("a record created in a rolled-back transaction is new again, without its id, and saves for real afterwards", async () => {
    const item = new Item();
    item.name = "a";
    await rolledBack(async () => {
      await item.save();
      expect(item.isPersisted).toBe(true);
      expect(item.id).toBeDefined();
    });
    expect(item.isPersisted).toBe(false);
    expect(item.id).toBeUndefined();
    expect(item.createdAt ?? undefined).toBeUndefined();
    expect(item.name).toBe("a");
    await item.save();
    expect(await Item.pluck("name")).toEqual(["a"]);
    expect(item.version).toBe(0);
  });

  it("a rolled-back update leaves the record dirty with its change, and the next save writes it", async () => {
    const item = await Item.create({ name: "before" });
    await rolledBack(async () => {
      item.name = "after";
      await item.save();
      expect(item.isDirty()).toBe(false);
    });
    expect(item.isDirty()).toBe(true);
    expect(item.name).toBe("after");
    expect(item.version).toBe(0);
    await item.save();
    expect((await Item.findOrFail(item.id)).name).toBe("after");
    expect(item.version).toBe(1);
  });

  it("a change made after the write, before the rollback, is kept", async () => {
    const item = await Item.create({ name: "one" });
    await rolledBack(async () => {
      item.name = "two";
      await item.save();
      item.name = "three";
    });
    expect(item.name).toBe("three");
    expect(item.isDirty()).toBe(true);
    await item.save();
    expect((await Item.findOrFail(item.id)).name).toBe("three");
  });

  it("a throwing after-hook rolls the create back, and the record with it", async () => {
    const record = new Hooked();
    record.name = "explode";
    await expect(record.save()).rejects.toThrow("after-hook failed");
    expect(record.isPersisted).toBe(false);
    expect(record.id).toBeUndefined();
    expect(await Hooked.count()).toBe(0);
  });

  it("a savepoint rollback restores only what the savepoint wrote", async () => {
    const kept = new Item();
    kept.name = "kept";
    const dropped = new Item();
    dropped.name = "dropped";
    const both = await Item.create({ name: "both" });
    await ActiveRecord.transaction(async () => {
      await kept.save();
      both.name = "outer";
      await both.save();
      await ActiveRecord.transaction(async () => {
        await dropped.save();
        both.name = "inner";
        await both.save();
        throw rollback;
      }).catch(() => undefined);
      expect(kept.isPersisted).toBe(true);
      expect(dropped.isPersisted).toBe(false);
      expect(dropped.id).toBeUndefined();
      // Back to what the outer level had written.
      expect(both.isDirty()).toBe(true);
      expect(both.version).toBe(1);
    });
    expect(kept.isPersisted).toBe(true);
    expect((await Item.findOrFail(both.id)).name).toBe("outer");
  });

  it("a released savepoint's records roll back with the outer transaction", async () => {
    const item = new Item();
    item.name = "nested";
    await rolledBack(async () => {
      await ActiveRecord.transaction(async () => {
        await item.save();
      });
    });
    expect(item.isPersisted).toBe(false);
    expect(item.id).toBeUndefined();
  });

  it("a rolled-back delete leaves the record persisted", async () => {
    const item = await Item.create({ name: "x" });
    await rolledBack(() => item.delete());
    expect(item.isPersisted).toBe(true);
    await item.reload();
  });

  it("a soft delete moves the version on, so a copy read before it is stale", async () => {
    const record = await Soft.create({ name: "s" });
    const copy = await Soft.findOrFail(record.id);
    await record.delete();
    expect(record.version).toBe(1);
    const row = await Soft.withTrashed().where({ id: record.id }).first();
    expect(row!.version).toBe(1);
    expect(row!.deletedAt).toBeInstanceOf(Date);
    copy.name = "late";
    await expect(copy.save()).rejects.toThrow(StaleRecordError);
  });
});
