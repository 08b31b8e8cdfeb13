/** Every where operator, on data seeded once, checked by the names it selects. */
import { equal } from "../assert.ts";
import type { CaseGroup } from "../harness.ts";
import type { WhereInput } from "../../model/types.ts";

const PEOPLE = [
  { name: "Ann", age: 30, active: true },
  { name: "Bob", age: 25, active: false },
  { name: "Cid", age: null, active: true },
  { name: "Dee", age: 40, active: true },
  { name: "Éva", age: 35, active: false },
];

export const whereCases: CaseGroup = (ctx) => {
  ctx.describe("where operators", () => {
    const tag = "where";
    const names = async (where: WhereInput<InstanceType<typeof ctx.models.Owner>>): Promise<string[]> => {
      const rows = await ctx.models.Owner.where({ email: { $like: `%@${tag}.test` } }).where(where).orderBy("name").pluck("name");
      return rows;
    };
    let seeded = false;
    const seed = async () => {
      if (seeded) return;
      seeded = true;
      await ctx.models.Owner.insertMany(PEOPLE.map((p) => ({ ...p, email: `${p.name.toLowerCase()}@${tag}.test` })));
    };

    const cases: [string, WhereInput<InstanceType<typeof ctx.models.Owner>>, string[]][] = [
      ["plain equality", { name: "Ann" }, ["Ann"]],
      ["$eq", { age: { $eq: 25 } }, ["Bob"]],
      ["$eq null is IS NULL", { age: { $eq: null } }, ["Cid"]],
      ["$ne", { name: { $ne: "Ann" } }, ["Bob", "Cid", "Dee", "Éva"]],
      ["$ne null is IS NOT NULL", { age: { $ne: null } }, ["Ann", "Bob", "Dee", "Éva"]],
      ["$gt", { age: { $gt: 30 } }, ["Dee", "Éva"]],
      ["$gte", { age: { $gte: 30 } }, ["Ann", "Dee", "Éva"]],
      ["$lt", { age: { $lt: 30 } }, ["Bob"]],
      ["$lte", { age: { $lte: 30 } }, ["Ann", "Bob"]],
      ["$gt and $lt together", { age: { $gt: 25, $lt: 40 } }, ["Ann", "Éva"]],
      ["$in", { name: { $in: ["Ann", "Dee", "Zed"] } }, ["Ann", "Dee"]],
      ["an array is $in", { age: [25, 40] }, ["Bob", "Dee"]],
      ["$in with an empty list matches nothing", { name: { $in: [] } }, []],
      ["$notIn", { name: { $notIn: ["Ann", "Bob"] } }, ["Cid", "Dee", "Éva"]],
      ["$notIn with an empty list matches everything", { name: { $notIn: [] } }, ["Ann", "Bob", "Cid", "Dee", "Éva"]],
      ["$like", { name: { $like: "%e%" } }, ["Dee"]],
      ["$like with unicode", { name: { $like: "É%" } }, ["Éva"]],
      ["$between (inclusive)", { age: { $between: [25, 35] } }, ["Ann", "Bob", "Éva"]],
      ["$null: true", { age: { $null: true } }, ["Cid"]],
      ["$null: false", { age: { $null: false } }, ["Ann", "Bob", "Dee", "Éva"]],
      ["null is IS NULL", { age: null }, ["Cid"]],
      ["boolean equality", { active: false }, ["Bob", "Éva"]],
      ["$and", { $and: [{ active: true }, { age: { $gte: 30 } }] }, ["Ann", "Dee"]],
      ["$or", { $or: [{ name: "Bob" }, { age: { $gt: 35 } }] }, ["Bob", "Dee"]],
      ["$not", { $not: { name: { $in: ["Ann", "Bob"] } } }, ["Cid", "Dee", "Éva"]],
      ["$or nested in $and", { active: true, $or: [{ age: null }, { age: { $gte: 40 } }] }, ["Cid", "Dee"]],
      ["$not of $or", { $not: { $or: [{ active: false }, { age: null }] } }, ["Ann", "Dee"]],
    ];

    for (const [label, where, expected] of cases) {
      ctx.it(label, async () => {
        await seed();
        equal(await names(where), expected, `names matching ${label}`);
      });
    }

    ctx.it("orWhere, whereNot, order, limit and offset", async () => {
      await seed();
      const { Owner } = ctx.models;
      const base = Owner.where({ email: { $like: `%@${tag}.test` } });
      equal(await base.where({ name: "Ann" }).orWhere({ name: "Bob" }).orderBy("name").pluck("name"), ["Ann", "Bob"], "orWhere");
      equal(await base.whereNot({ active: true }).orderBy("name").pluck("name"), ["Bob", "Éva"], "whereNot");
      equal(await base.where({ age: { $null: false } }).orderBy("age", "desc").limit(2).pluck("name"), ["Dee", "Éva"], "order desc + limit");
      equal(await base.orderBy("name").offset(3).pluck("name"), ["Dee", "Éva"], "offset without limit");
      equal(await base.orderBy("name").limit(1).offset(1).pluck("name"), ["Bob"], "limit + offset");
      equal(await base.count(), 5, "count");
      equal(await base.sum("age"), 130, "sum");
      equal(await base.max("age"), 40, "max");
    });
  });
};
