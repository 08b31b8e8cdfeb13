/**
 * Request bodies as an attacker writes them, fed to every call that takes
 * conditions or attributes, on libSQL and PostgreSQL. Each must be refused
 * with an EdgeRecordError or matched literally as a value; no row outside the
 * intended one is read, changed or deleted; Object.prototype stays clean.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ActiveRecord,
  ArgumentError,
  column,
  EdgeRecordError,
  fn,
  gte,
  hasMany,
  belongsTo,
  sql,
  table,
  UnknownColumnError,
  ValidationError,
  type Backend,
} from "../../src/index.ts";
import { BACKENDS } from "../support/backends.ts";
import { decoratorMode } from "../support/mode.ts";

@table("trust_accounts")
class Account extends ActiveRecord {
  @column.id() id!: number;
  @column.text({ unique: true }) email!: string;
  @column.text({ hidden: true }) password!: string;
  @column.integer({ nullable: true }) age!: number | null;
  @column.boolean({ guarded: true, default: false }) isAdmin!: boolean;
  @column.json({ nullable: true }) prefs!: unknown;
  @column.createdAt() createdAt!: Date;
  @hasMany(() => Note) notes!: Note[];
}

@table("trust_notes")
class Note extends ActiveRecord {
  @column.id() id!: number;
  @column.integer() accountId!: number;
  @column.text() body!: string;
  @belongsTo(() => Account) account!: Account;
}

/** The canary: a table no request should ever reach. */
@table("trust_secrets")
class Secret extends ActiveRecord {
  @column.id() id!: number;
  @column.text() value!: string;
}

const FORGED_RAW = { kind: "raw", strings: ["1=0) UNION SELECT id, value, value, NULL, 0, NULL, NULL FROM trust_secrets --"], values: [] };

/** Bodies for a login that does `findBy({ email: body.email, password: body.password })`. */
const LOGIN_BODIES: string[] = [
  '{"email":"ann@example.com","password":{"$ne":""}}',
  '{"email":"ann@example.com","password":{"$gt":""}}',
  '{"email":{"$like":"%"},"password":{"$ne":"x"}}',
  '{"email":"ann@example.com","password":["guess1","guess2","s3cret"]}',
  '{"email":"ann@example.com","password":{"$in":["s3cret"]}}',
  '{"email":"ann@example.com","password":{"$or":[{"password":"x"}]}}',
  `{"email":"ann@example.com","password":${JSON.stringify(FORGED_RAW)}}`,
  '{"email":"ann@example.com","password":{"__proto__":{"$ne":""}}}',
  '{"email":"ann@example.com","password":{"constructor":{"name":"Operator"}}}',
  '{"email":"ann@example.com"}',
  '{"email":"ann@example.com","password":null}',
  '{"email":"ann@example.com","password":1}',
  '{"email":"ann@example.com","password":true}',
  '{"email":"ann@example.com","password":"s3cret\' OR \'1\'=\'1"}',
];

/** Whole where-objects straight from a body. */
const WHERE_BODIES: string[] = [
  '{"$or":[{"email":"ann@example.com"},{"email":{"$ne":""}}]}',
  `{"$or":[${JSON.stringify(FORGED_RAW)}]}`,
  JSON.stringify(FORGED_RAW),
  '{"$and":[{"age":{"$gte":0}}]}',
  '{"$not":{"email":"nobody"}}',
  '{"age":{"$gte":0}}',
  '{"age":[30,40]}',
  '{"age":"30"}',
  '{"age":"30 OR 1=1"}',
  '{"email":{"email":"ann@example.com"}}',
  '{"__proto__":{"email":"ann@example.com"}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"prototype":{"polluted":true}}',
  '{"email":"ann@example.com","isAdmin":{"$ne":false}}',
  '{"notes":{"body":"x"}}',
  '{"":"x"}',
  '{"email\\"; DROP TABLE trust_secrets; --":"x"}',
];

/** What `await request.json()` gives a handler: `any`, so nothing stops it reaching the API but EdgeRecord itself. */
const parse = (body: string): any => JSON.parse(body);

/** Runs `work`; it must be refused with an EdgeRecordError, or give `allowed` (compared with toEqual). */
async function refusedOr(work: () => Promise<unknown>, allowed: unknown, label: string): Promise<void> {
  let result: unknown;
  try {
    result = await work();
  } catch (error) {
    expect(error, `${label}: ${String(error)}`).toBeInstanceOf(EdgeRecordError);
    return;
  }
  expect(result, label).toEqual(allowed);
}

describe.each(BACKENDS)(`request JSON at the trust boundary on $name (${decoratorMode})`, (fixture) => {
  let close: (() => Promise<void>) | undefined;
  let ann: Account;

  beforeEach(async () => {
    const opened = await fixture.open();
    close = opened.close;
    const backend: Backend = opened.backend;
    for (const model of [Account, Note, Secret]) model.configure(backend);
    for (const model of [Account, Note, Secret]) await model.createTable();
    await Secret.create({ value: "the launch codes" });
    ann = await Account.create({ email: "ann@example.com", password: "s3cret", age: 30 });
    await Account.create({ email: "bob@example.com", password: "hunter2", age: 40 });
    await Note.create({ accountId: ann.id, body: "ann's note" });
  });

  afterEach(async () => {
    for (const model of [Account, Note, Secret]) model.unconfigure();
    await close?.();
  });

  afterAll(() => {
    expect(Object.prototype).not.toHaveProperty("polluted");
    expect(Object.prototype).not.toHaveProperty("isAdmin");
  });

  const untouched = async () => {
    expect(await Account.count()).toBe(2);
    expect(await Account.where({ isAdmin: true }).count()).toBe(0);
    expect(await Secret.pluck("value")).toEqual(["the launch codes"]);
    expect(await Note.count()).toBe(1);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  };

  it("a login with findBy lets no forged password in", async () => {
    for (const body of LOGIN_BODIES) {
      const b = parse(body) as { email: string; password: string };
      await refusedOr(() => Account.findBy({ email: b.email, password: b.password }), null, body);
    }
    expect((await Account.findBy({ email: "ann@example.com", password: "s3cret" }))?.id).toBe(ann.id);
    await untouched();
  });

  it("where, findBy, count and exists take a body's where-object literally or refuse it", async () => {
    for (const body of WHERE_BODIES) {
      await refusedOr(() => Account.where(parse(body)).pluck("email"), [], `where ${body}`);
      await refusedOr(() => Account.findBy(parse(body)), null, `findBy ${body}`);
      await refusedOr(() => Account.count(parse(body)), 0, `count ${body}`);
      await refusedOr(() => Account.exists(parse(body)), false, `exists ${body}`);
      await refusedOr(() => Account.query().where({ email: "ann@example.com" }).orWhere(parse(body)).pluck("email"), ["ann@example.com"], `orWhere ${body}`);
      await refusedOr(() => Account.query().whereNot(parse(body)).orderBy("email").pluck("email"), ["ann@example.com", "bob@example.com"], `whereNot ${body}`);
    }
    await untouched();
  });

  it("deleteWhere and updateWhere change nothing outside the intended row", async () => {
    for (const body of WHERE_BODIES) {
      await refusedOr(() => Account.deleteWhere(parse(body)), 0, `deleteWhere ${body}`);
      await refusedOr(() => Account.updateWhere(parse(body), { age: 99 }), 0, `updateWhere ${body}`);
    }
    const missingId = parse("{}") as { id?: number };
    await expect(Account.deleteWhere({ id: missingId.id })).rejects.toBeInstanceOf(ValidationError);
    await expect(Account.updateWhere({ id: missingId.id }, { age: 1 })).rejects.toBeInstanceOf(ValidationError);
    await expect(Account.deleteWhere({})).rejects.toBeInstanceOf(ArgumentError);
    await expect(Account.updateWhere({}, { age: 1 })).rejects.toBeInstanceOf(ArgumentError);
    await untouched();
    expect(await Account.where({ age: 99 }).count()).toBe(0);
  });

  it("updateWhere's values: undefined, unknown and guarded keys are errors naming the column", async () => {
    const undefinedAge = await Account.updateWhere({ id: ann.id }, { age: undefined }).catch((e: unknown) => e);
    expect(undefinedAge).toBeInstanceOf(ValidationError);
    expect((undefinedAge as ValidationError).issues[0]?.field).toBe("age");
    const unknown = await Account.updateWhere({ id: ann.id }, parse('{"nope":1}')).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(UnknownColumnError);
    expect((unknown as Error).message).toContain('"nope"');
    await expect(Account.updateWhere({ id: ann.id }, parse('{"isAdmin":true}'))).rejects.toBeInstanceOf(ValidationError);
    await expect(Account.updateWhere({ id: ann.id }, parse(`{"age":${JSON.stringify(FORGED_RAW)}}`))).rejects.toBeInstanceOf(ValidationError);
    await untouched();
    expect(await Account.updateWhere({ id: ann.id }, { isAdmin: true }, { allowGuarded: true })).toBe(1);
    expect((await Account.findOrFail(ann.id)).isAdmin).toBe(true);
  });

  it("create, assign, insertMany, upsert and updateOrCreate refuse a guarded or unknown key", async () => {
    const body = parse('{"email":"eve@example.com","password":"x","isAdmin":true}');
    await expect(Account.create(body)).rejects.toBeInstanceOf(ValidationError);
    expect(() => new Account().assign(body)).toThrow(ValidationError);
    await expect(Account.insertMany([body])).rejects.toBeInstanceOf(ValidationError);
    await expect(Account.upsert([body], { uniqueBy: ["email"] })).rejects.toBeInstanceOf(ValidationError);
    await expect(Account.updateOrCreate({ email: "ann@example.com" }, parse('{"isAdmin":true}'))).rejects.toBeInstanceOf(ValidationError);
    await expect(Account.firstOrCreate(parse('{"email":"eve@example.com","isAdmin":true}'))).rejects.toBeInstanceOf(ValidationError);
    for (const key of ["__proto__", "constructor", "prototype", "$or", "notes", "save"]) {
      const hostile = parse(`{"email":"eve@example.com","password":"x","${key}":{"isAdmin":true}}`);
      await expect(Account.create(hostile), key).rejects.toBeInstanceOf(UnknownColumnError);
      expect(() => ann.assign(hostile), key).toThrow(UnknownColumnError);
    }
    // A refused assign leaves the record as it was.
    expect(() => ann.assign(parse('{"age":31,"isAdmin":true}'))).toThrow(ValidationError);
    expect(ann.age).toBe(30);
    expect(ann.isDirty()).toBe(false);
    await untouched();
    // The program may still set it, by plain assignment or by saying so.
    ann.isAdmin = true;
    await ann.save();
    const admin = await Account.create({ email: "root@example.com", password: "x", isAdmin: true }, { allowGuarded: true });
    expect((await Account.findOrFail(admin.id)).isAdmin).toBe(true);
  });

  it("select, orderBy, with, count and the sql template refuse look-alike objects and unknown names", async () => {
    const forgedAggregate = parse('{"kind":"aggregate","fn":"(SELECT value FROM trust_secrets)","attribute":null,"alias":"x"}');
    expect(() => Account.query().select(forgedAggregate)).toThrow(ArgumentError);
    expect(() => Account.query().select(parse('{"kind":"column","column":"password"}'))).toThrow(ArgumentError);
    expect(() => Account.orderBy(parse(JSON.stringify(FORGED_RAW)))).toThrow(ArgumentError);
    expect(() => Account.orderBy("email", "sideways" as "asc")).toThrow(ArgumentError);
    expect(() => Account.orderBy("email; DROP TABLE trust_secrets" as "email")).toThrow(UnknownColumnError);
    expect(() => Account.with("secrets" as never)).toThrow(EdgeRecordError);
    expect(() => Account.with("notes.secrets" as never)).toThrow(EdgeRecordError);
    expect(() => Account.where({ email: "nobody" }).with("notez" as never)).toThrow(EdgeRecordError);
    expect(() => Account.with(parse("{}"))).toThrow(ArgumentError);
    await expect(Account.query().count("" as "email")).rejects.toBeInstanceOf(UnknownColumnError);
    await expect(Account.query().sum("password; --" as "age")).rejects.toBeInstanceOf(UnknownColumnError);
    expect(() => Account.query().select(fn.count("nope"))).toThrow(UnknownColumnError);
    expect(await Account.query().select(fn.count().as("n")).rows()).toEqual([{ n: 2 }]);

    const body = parse(`{"email":${JSON.stringify(FORGED_RAW)}}`) as { email: unknown };
    await refusedOr(() => Account.raw(sql`SELECT email FROM trust_accounts WHERE email = ${body.email}`), [], "sql`` with a forged fragment");
    expect(() => sql(parse('{"0":"SELECT 1","length":1}') as unknown as TemplateStringsArray)).toThrow(ArgumentError);
    await untouched();
  });

  it("every misuse is an EdgeRecordError with a code, before any SQL", async () => {
    const misuses: [string, () => unknown][] = [
      ["text with NUL", () => Account.create({ email: "nul\0@example.com", password: "x" })],
      ["find(null)", () => Account.find(null as never)],
      ["find(undefined)", () => Account.find(undefined as never)],
      ["find of a string for an integer key", () => Account.find("1" as never)],
      ["find of an object", () => Account.find(parse('{"id":{"$ne":0}}'))],
      ["limit(-5)", () => Account.query().limit(-5)],
      ["offset(1.5)", () => Account.query().offset(1.5)],
      ["paginate(0, 10)", () => Account.query().paginate(0, 10)],
      ["orderBy sideways", () => Account.orderBy("email", "sideways" as "asc")],
      ["deleteWhere({})", () => Account.deleteWhere({})],
      ["where(null)", () => Account.where(null as never)],
      ["where of a string", () => Account.where("1=1" as never)],
      ["JSON that cannot be stored (BigInt)", () => Account.create({ email: "j@example.com", password: "x", prefs: { n: 1n } })],
      ["JSON that cannot be stored (cycle)", () => {
        const cycle: Record<string, unknown> = {};
        cycle["self"] = cycle;
        return Account.create({ email: "c@example.com", password: "x", prefs: cycle });
      }],
      ["restore() without a soft-delete column", () => ann.restore()],
      ["assign(null)", () => ann.assign(null as never)],
      ["insertMany of a non-array", () => Account.insertMany(parse("{}") as never)],
    ];
    for (const [label, misuse] of misuses) {
      let error: unknown;
      try {
        await misuse();
      } catch (e) {
        error = e;
      }
      expect(error, label).toBeInstanceOf(EdgeRecordError);
      expect(typeof (error as EdgeRecordError).code, label).toBe("string");
    }
    await untouched();
  });

  it("request-body schemas: insert and update leave out what a client never sets, select is the record's JSON", async () => {
    const insert = Account.insertSchema();
    const parsed = insert.parse(parse('{"email":"eve@example.com","password":"pw","age":22,"prefs":{"theme":"dark"}}'));
    const eve = await Account.create(parsed);
    expect(eve.isAdmin).toBe(false);
    expect(insert.safeParse(parse('{"email":"x@example.com","password":"pw","isAdmin":true}')).success).toBe(false);
    expect(insert.safeParse(parse('{"email":"x@example.com","password":"pw","id":1}')).success).toBe(false);
    expect(insert.safeParse(parse('{"email":"x@example.com","password":"pw","createdAt":"2020-01-01T00:00:00Z"}')).success).toBe(false);
    expect(insert.safeParse(parse('{"password":"pw"}')).success).toBe(false);
    expect(insert.safeParse(parse('{"email":"x@example.com","password":{"$ne":""}}')).success).toBe(false);

    const update = Account.updateSchema();
    expect(update.parse(parse('{"age":23}'))).toEqual({ age: 23 });
    expect(update.safeParse(parse('{"isAdmin":true}')).success).toBe(false);
    eve.assign(update.parse(parse('{"age":23}')));
    await eve.save();

    const json = JSON.parse(JSON.stringify(await Account.findOrFail(eve.id))) as unknown;
    const shown = Account.selectSchema().parse(json);
    expect(shown.email).toBe("eve@example.com");
    expect(shown).not.toHaveProperty("password");
    expect(typeof shown.createdAt).toBe("string");
    expect(await Account.count()).toBe(3);
  });

  it("operators made by code still work next to all this", async () => {
    expect(await Account.where({ age: gte(35) }).pluck("email")).toEqual(["bob@example.com"]);
  });
});
