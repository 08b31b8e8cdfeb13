/**
 * withCount / withExists / withSum / withAvg / withMin / withMax: values per
 * record from correlated subqueries, in the records' own single query, typed
 * on the records; on libSQL and PostgreSQL, through hasMany, belongsTo and
 * manyToMany, with filters and soft-deleted rows left out.
 */
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from "vitest";
import { ActiveRecord, belongsTo, column, gte, hasMany, manyToMany, table, type Backend } from "../../src/index.ts";
import { BACKENDS } from "../support/backends.ts";
import { decoratorMode } from "../support/mode.ts";

@table("ra_users")
class User extends ActiveRecord {
  @column.id() id!: number;
  @column.text() name!: string;
  @hasMany(() => Order) orders!: Order[];
  @manyToMany(() => Group, { through: "ra_memberships" }) groups!: Group[];
}

@table("ra_orders")
class Order extends ActiveRecord {
  @column.id() id!: number;
  @column.integer() userId!: number;
  @column.integer() total!: number;
  @column.datetime() placedAt!: Date;
  @column.deletedAt() deletedAt!: Date | null;
  @belongsTo(() => User) user!: User;
}

@table("ra_groups")
class Group extends ActiveRecord {
  @column.id() id!: number;
  @column.text() name!: string;
}

@table("ra_memberships")
class Membership extends ActiveRecord {
  @column.id() id!: number;
  @column.integer() userId!: number;
  @column.integer() groupId!: number;
}

export function typeChecks(): void {
  const q = User.query().withCount("orders").withSum("orders", "total").withMax("orders", "placedAt").withExists("groups");
  type Row = Awaited<ReturnType<typeof q.all>>[number];
  expectTypeOf<Row["ordersCount"]>().toEqualTypeOf<number>();
  expectTypeOf<Row["ordersTotalSum"]>().toEqualTypeOf<number | null>();
  expectTypeOf<Row["ordersPlacedAtMax"]>().toEqualTypeOf<Date | null>();
  expectTypeOf<Row["groupsExists"]>().toEqualTypeOf<boolean>();
  // @ts-expect-error an unknown relation
  User.query().withCount("ordrs");
  // @ts-expect-error an attribute of the related model only
  User.query().withSum("orders", "name");
}

describe.each(BACKENDS)(`relation aggregates on $name (${decoratorMode})`, (fixture) => {
  let backend: Backend;
  let close: () => Promise<void>;
  const models = [User, Order, Group, Membership];
  beforeEach(async () => {
    ({ backend, close } = await fixture.open());
    for (const m of models) m.configure(backend);
    for (const m of models) await m.createTable();
    const [ann, bob] = await User.insertMany([{ name: "Ann" }, { name: "Bob" }, { name: "Cid" }]);
    await Order.insertMany([
      { userId: ann!.id, total: 10, placedAt: new Date("2024-01-01T00:00:00Z") },
      { userId: ann!.id, total: 25, placedAt: new Date("2024-03-01T00:00:00Z") },
      { userId: ann!.id, total: 99, placedAt: new Date("2024-05-01T00:00:00Z"), deletedAt: new Date() },
      { userId: bob!.id, total: 5, placedAt: new Date("2024-02-01T00:00:00Z") },
    ]);
    const [admins] = await Group.insertMany([{ name: "admins" }, { name: "readers" }]);
    await Membership.insertMany([{ userId: bob!.id, groupId: admins!.id }]);
  });
  afterEach(async () => {
    for (const m of models) m.unconfigure();
    await close();
  });

  it("counts, sums and extremes come with the records, in one statement", async () => {
    const statements: string[] = [];
    const execute = backend.execute.bind(backend);
    backend.execute = (q) => (statements.push(q.sql), execute(q));
    let users;
    try {
      users = await User.query()
        .withCount("orders")
        .withSum("orders", "total")
        .withAvg("orders", "total")
        .withMin("orders", "placedAt")
        .withMax("orders", "placedAt")
        .withExists("groups")
        .orderBy("id")
        .all();
    } finally {
      backend.execute = execute;
    }
    expect(statements).toHaveLength(1);
    expect(users.map((u) => [u.name, u.ordersCount, u.ordersTotalSum, u.ordersTotalAvg, u.groupsExists])).toEqual([
      ["Ann", 2, 35, 17.5, false],
      ["Bob", 1, 5, 5, true],
      ["Cid", 0, null, null, false],
    ]);
    expect(users[0]!.ordersPlacedAtMin).toEqual(new Date("2024-01-01T00:00:00Z"));
    expect(users[0]!.ordersPlacedAtMax).toEqual(new Date("2024-03-01T00:00:00Z"));
    expect(users[2]!.ordersPlacedAtMax).toBeNull();
    // The extra values are not attributes: saving the record writes none of them.
    expect(users[0]!.isDirty()).toBe(false);
  });

  it("filters the related rows by a where-object or a query function", async () => {
    const big = await User.query().withCount("orders", { total: gte(20) }).orderBy("id").pluck("id");
    expect(big).toHaveLength(3);
    const users = await User.query()
      .withCount("orders", (q) => q.where({ total: gte(20) }))
      .withExists("groups", { name: "admins" })
      .orderBy("id")
      .all();
    expect(users.map((u) => [u.ordersCount, u.groupsExists])).toEqual([[1, false], [0, true], [0, false]]);
  });

  it("works with where, belongsTo, and refuses what is not a relation before any SQL", async () => {
    const orders = await Order.where({ total: gte(10) }).withCount("user").orderBy("id").all();
    expect(orders.map((o) => o.userCount)).toEqual([1, 1]);
    expect(() => User.query().withCount("nope" as never)).toThrow(/no relation "nope"/);
    expect(() => User.query().withSum("orders", "nope" as never)).toThrow(/no column "nope"/);
    expect(() => User.query().withSum("orders", undefined as never)).toThrow(/name the attribute/);
  });
});
