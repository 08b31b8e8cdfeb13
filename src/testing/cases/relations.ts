/** Relations and record lifecycle on top of the backend: eager loading, relation filters, join tables, soft delete, locking, upsert. */
import type { CompiledQuery } from "../../query/ast.ts";
import { StaleRecordError } from "../../errors.ts";
import { equal, ok, rejects } from "../assert.ts";
import type { CaseGroup, SuiteContext } from "../harness.ts";
import { endsWith, startsWith } from "../../query/operators.ts";

/** Counts the autocommit statements the backend runs while `work` runs. */
async function statementsDuring(ctx: SuiteContext, work: () => Promise<unknown>): Promise<string[]> {
  const backend = ctx.backend;
  const seen: string[] = [];
  const execute = backend.execute;
  backend.execute = (query: CompiledQuery) => {
    seen.push(query.sql);
    return execute.call(backend, query);
  };
  try {
    await work();
  } finally {
    backend.execute = execute;
  }
  return seen;
}

export const relationCases: CaseGroup = (ctx) => {
  ctx.describe("relations and lifecycle", () => {
    ctx.it("eager loading runs one query per relation and level", async () => {
      const { Owner, Pet, Toy } = ctx.models;
      await ctx.backend.execute(ctx.raw(`CREATE TABLE ${ctx.backend.dialect.quoteIdentifier(`${ctx.prefix}_pet_toys`)} (pet_id INTEGER NOT NULL, toy_id INTEGER NOT NULL, PRIMARY KEY (pet_id, toy_id))`));
      ctx.track(`${ctx.prefix}_pet_toys`);
      await Toy.createTable();
      ctx.track(Toy.metadata.table);
      const owners = await Owner.insertMany([{ email: "o1@rel.test", name: "O1" }, { email: "o2@rel.test", name: "O2" }, { email: "o3@rel.test", name: "O3" }]);
      const pets = await Pet.insertMany(owners.slice(0, 2).flatMap((o) => [{ ownerId: o.id, name: `${o.name}-a` }, { ownerId: o.id, name: `${o.name}-b` }]));
      const [ball, rope] = await Toy.insertMany([{ name: "ball" }, { name: "rope" }]);
      await pets[0]!.related("toys").attach(ball!, rope!);
      await pets[2]!.related("toys").attach(ball!.id);

      let loaded: InstanceType<typeof Owner>[] = [];
      const statements = await statementsDuring(ctx, async () => {
        loaded = await Owner.with("pets.toys").where({ email: endsWith("@rel.test") }).orderBy("id").all();
      });
      equal(statements.length, 3, `statements for owners, pets and toys (${statements.join(" | ")})`);
      equal(loaded.map((o) => o.pets.length), [2, 2, 0], "pets per owner");
      equal(loaded[0]!.pets.find((p) => p.name === "O1-a")!.toys.map((t) => t.name).sort(), ["ball", "rope"], "toys through the join table");
      equal(loaded[1]!.pets.find((p) => p.name === "O2-a")!.toys.map((t) => t.name), ["ball"], "one toy");

      const withOwner = await Pet.with("owner").where({ id: pets[3]!.id }).first();
      equal(withOwner?.owner.name, "O2", "belongsTo");
      equal(await Owner.whereHas("pets", { name: startsWith("O2") }).pluck("name"), ["O2"], "whereHas");
      equal(await Owner.whereDoesntHave("pets").where({ email: endsWith("@rel.test") }).pluck("name"), ["O3"], "whereDoesntHave");
      equal(await Pet.whereHas("toys", { name: "rope" }).pluck("name"), ["O1-a"], "whereHas through a join table");
      equal(await pets[0]!.related("toys").detach(rope!), 1, "detach one");
      equal(await pets[0]!.related("toys").count(), 1, "toys left");
    });

    ctx.it("timestamps, soft delete and optimistic locking", async () => {
      const { Note } = ctx.models;
      await Note.createTable();
      ctx.track(Note.metadata.table);
      const note = await Note.create({ body: "v0" });
      ok(note.createdAt instanceof Date && note.updatedAt instanceof Date, "timestamps set on insert");
      equal(note.version, 0, "the first version");
      const stale = await Note.findOrFail(note.id);
      note.body = "v1";
      await note.save();
      equal(note.version, 1, "the version after an update");
      stale.body = "lost";
      await rejects(stale.save(), StaleRecordError, "a stale update");
      equal((await Note.findOrFail(note.id)).body, "v1", "the stale update wrote nothing");

      equal(await note.delete(), true, "soft delete");
      equal(await Note.find(note.id), null, "find() skips soft-deleted rows");
      equal(await Note.withTrashed().where({ id: note.id }).count(), 1, "withTrashed() sees it");
      equal(await Note.onlyTrashed().count(), 1, "onlyTrashed()");
      await note.restore();
      equal((await Note.findOrFail(note.id)).deletedAt, null, "restored");
      equal(await note.forceDelete(), true, "forceDelete()");
      equal(await Note.withTrashed().count(), 0, "gone for good");
    });

    ctx.it("upsert on a unique key returns inserted and existing rows", async () => {
      if (!ctx.backend.dialect.capabilities.upsert) return;
      const { Owner } = ctx.models;
      await Owner.create({ email: "up@rel.test", name: "before" });
      const rows = await Owner.upsert([{ email: "up@rel.test", name: "after" }, { email: "new@rel.test", name: "new" }], { uniqueBy: ["email"], update: ["name"] });
      equal(rows.map((r) => r.name).sort(), ["after", "new"], "returned rows");
      equal((await Owner.findBy({ email: "up@rel.test" }))?.name, "after", "the existing row updated");
      const again = await Owner.firstOrCreate({ email: "new@rel.test" }, { name: "ignored" });
      equal(again.name, "new", "firstOrCreate finds the existing row");
    });
  });
};
