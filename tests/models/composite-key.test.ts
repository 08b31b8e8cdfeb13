import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ActiveRecord, column, RecordNotFoundError, table, type Backend } from "../../src/index.ts";
import { BACKENDS } from "../support/backends.ts";
import { decoratorMode } from "../support/mode.ts";

@table("memberships")
class Membership extends ActiveRecord {
  @column.integer({ primaryKey: true }) teamId!: number;
  @column.integer({ primaryKey: true }) userId!: number;
  @column.text({ default: "member" }) role!: string;
}

describe.each(BACKENDS)(`composite primary keys on $name (${decoratorMode})`, (fixture) => {
  let backend: Backend;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ backend, close } = await fixture.open());
    Membership.configure(backend);
    await Membership.createTable();
  });
  afterEach(() => close());

  it("finds, updates, reloads and deletes by every key column", async () => {
    await Membership.insertMany([{ teamId: 1, userId: 1 }, { teamId: 1, userId: 2, role: "owner" }, { teamId: 2, userId: 1 }]);
    const owner = await Membership.findOrFail({ teamId: 1, userId: 2 });
    expect(owner.role).toBe("owner");
    expect(await Membership.find({ teamId: 2, userId: 2 })).toBeNull();
    await expect(Membership.findOrFail({ teamId: 9, userId: 9 })).rejects.toThrow(RecordNotFoundError);
    await expect(Membership.find(1)).rejects.toThrow(/composite key \(teamId, userId\)/);

    owner.role = "admin";
    await owner.save();
    expect((await Membership.findOrFail({ teamId: 1, userId: 2 })).role).toBe("admin");
    expect((await Membership.findOrFail({ teamId: 1, userId: 1 })).role).toBe("member");

    // Changing a key column updates the row that had the old key.
    owner.userId = 3;
    await owner.save();
    expect(await Membership.find({ teamId: 1, userId: 2 })).toBeNull();
    await owner.reload();
    expect(owner.role).toBe("admin");

    expect(await owner.delete()).toBe(true);
    expect(await Membership.count()).toBe(2);
    await expect(Membership.create({ teamId: 1, userId: 1 })).rejects.toThrow(/unique|primary|duplicate/i);
  });
});
