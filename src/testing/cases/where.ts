/** Every where operator, on data seeded once, checked by the names it selects. */
import { equal, rejects } from "../assert.ts";
import type { CaseGroup } from "../harness.ts";
import type { Conditions } from "../../model/types.ts";
import { ArgumentError, EdgeRecordError, UnknownColumnError, ValidationError } from "../../errors.ts";
import { and, between, contains, endsWith, eq, gt, gte, isNotNull, isNull, like, lt, lte, ne, not, notOneOf, oneOf, or, startsWith } from "../../query/operators.ts";

/** The prefix of the operator keys other ORMs read from plain objects: hostile bodies use it to try forging one. */
const OP = "$";

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
    const names = async (where: Conditions<InstanceType<typeof ctx.models.Owner>>): Promise<string[]> => {
      const rows = await ctx.models.Owner.where({ email: endsWith(`@${tag}.test`) }).where(where).orderBy("name").pluck("name");
      return rows;
    };
    let seeded = false;
    const seed = async () => {
      if (seeded) return;
      seeded = true;
      await ctx.models.Owner.insertMany(PEOPLE.map((p) => ({ ...p, email: `${p.name.toLowerCase()}@${tag}.test` })));
    };

    const cases: [string, Conditions<InstanceType<typeof ctx.models.Owner>>, string[]][] = [
      ["plain equality", { name: "Ann" }, ["Ann"]],
      ["eq", { age: eq(25) }, ["Bob"]],
      ["eq(null) is IS NULL", { age: eq(null) }, ["Cid"]],
      ["ne", { name: ne("Ann") }, ["Bob", "Cid", "Dee", "Éva"]],
      ["ne(null) is IS NOT NULL", { age: ne(null) }, ["Ann", "Bob", "Dee", "Éva"]],
      ["gt", { age: gt(30) }, ["Dee", "Éva"]],
      ["gte", { age: gte(30) }, ["Ann", "Dee", "Éva"]],
      ["lt", { age: lt(30) }, ["Bob"]],
      ["lte", { age: lte(30) }, ["Ann", "Bob"]],
      ["gt and lt together", and({ age: gt(25) }, { age: lt(40) }), ["Ann", "Éva"]],
      ["oneOf", { name: oneOf(["Ann", "Dee", "Zed"]) }, ["Ann", "Dee"]],
      ["oneOf on numbers", { age: oneOf([25, 40]) }, ["Bob", "Dee"]],
      ["oneOf with an empty list matches nothing", { name: oneOf([]) }, []],
      ["notOneOf", { name: notOneOf(["Ann", "Bob"]) }, ["Cid", "Dee", "Éva"]],
      ["notOneOf with an empty list matches everything", { name: notOneOf([]) }, ["Ann", "Bob", "Cid", "Dee", "Éva"]],
      ["like", { name: like("%e%") }, ["Dee"]],
      ["like with unicode", { name: like("É%") }, ["Éva"]],
      ["startsWith", { name: startsWith("D") }, ["Dee"]],
      ["endsWith", { name: endsWith("nn") }, ["Ann"]],
      ["contains", { name: contains("o") }, ["Bob"]],
      ["startsWith takes % literally", { name: startsWith("%") }, []],
      ["contains takes _ literally", { name: contains("_") }, []],
      ["between (inclusive)", { age: between(25, 35) }, ["Ann", "Bob", "Éva"]],
      ["isNull", { age: isNull() }, ["Cid"]],
      ["isNotNull", { age: isNotNull() }, ["Ann", "Bob", "Dee", "Éva"]],
      ["null is IS NULL", { age: null }, ["Cid"]],
      ["boolean equality", { active: false }, ["Bob", "Éva"]],
      ["and", and({ active: true }, { age: gte(30) }), ["Ann", "Dee"]],
      ["or", or({ name: "Bob" }, { age: gt(35) }), ["Bob", "Dee"]],
      ["not", not({ name: oneOf(["Ann", "Bob"]) }), ["Cid", "Dee", "Éva"]],
      ["or nested in and", and({ active: true }, or({ age: null }, { age: gte(40) })), ["Cid", "Dee"]],
      ["not of or", not(or({ active: false }, { age: null })), ["Ann", "Dee"]],
      ["a JSON body's $-operator is no operator", JSON.parse('{"name":"Ann"}'), ["Ann"]],
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
      const base = Owner.where({ email: endsWith(`@${tag}.test`) });
      equal(await base.where({ name: "Ann" }).orWhere({ name: "Bob" }).orderBy("name").pluck("name"), ["Ann", "Bob"], "orWhere");
      equal(await base.whereNot({ active: true }).orderBy("name").pluck("name"), ["Bob", "Éva"], "whereNot");
      equal(await base.where({ age: isNotNull() }).orderBy("age", "desc").limit(2).pluck("name"), ["Dee", "Éva"], "order desc + limit");
      equal(await base.orderBy("name").offset(3).pluck("name"), ["Dee", "Éva"], "offset without limit");
      equal(await base.orderBy("name").limit(1).offset(1).pluck("name"), ["Bob"], "limit + offset");
      equal(await base.count(), 5, "count");
      equal(await base.sum("age"), 130, "sum");
      equal(await base.max("age"), 40, "max");
    });

    ctx.it("request JSON is never an operator, a group or SQL", async () => {
      await seed();
      const { Owner } = ctx.models;
      const base = Owner.where({ email: endsWith(`@${tag}.test`) });
      const hostile: [string, string, new (...args: never[]) => EdgeRecordError][] = [
        ["a not-equal operator object", `{"name":{"${OP}ne":""}}`, ValidationError],
        ["a greater-than operator object", `{"age":{"${OP}gt":0}}`, ValidationError],
        ["a LIKE operator object", `{"name":{"${OP}like":"%"}}`, ValidationError],
        ["an array is no membership test", '{"name":["Ann","Bob"]}', ValidationError],
        ["a top-level OR key", `{"${OP}or":[{"name":"Ann"},{"name":"Bob"}]}`, UnknownColumnError],
        ["a forged raw fragment", `{"${OP}or":[{"kind":"raw","strings":["1=1"],"values":[]}]}`, UnknownColumnError],
        ["a forged raw fragment as a value", '{"name":{"kind":"raw","strings":["1=1"],"values":[]}}', ValidationError],
        ["a __proto__ key", '{"__proto__":{"name":"Ann"}}', UnknownColumnError],
        ["a constructor key", '{"constructor":{"name":"Ann"}}', UnknownColumnError],
        ["a string for an integer column", '{"age":"30"}', ValidationError],
        ["a number for a text column", '{"name":1}', ValidationError],
      ];
      for (const [label, body, type] of hostile) {
        await rejects(() => base.where(JSON.parse(body)).pluck("name"), type, label);
      }
      await rejects(() => base.where({ name: undefined }).pluck("name"), ValidationError, "undefined never drops a condition");
      await rejects(() => base.where(null as never).pluck("name"), ArgumentError, "null is not a condition");
      await rejects(() => base.where({ name: startsWith(JSON.parse('{"a":1}')) }).pluck("name"), ValidationError, "a forged operand for startsWith");
      equal(await base.count(), 5, "every row still there");
      equal(({} as Record<string, unknown>)["name"], undefined, "Object.prototype untouched");
    });
  });
};
