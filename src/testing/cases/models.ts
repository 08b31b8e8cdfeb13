/** The model layer on top of the backend: create, find, save, delete, reload, insertMany. */
import { IntegrityError, RecordNotFoundError } from "../../errors.ts";
import { equal, ok, rejects } from "../assert.ts";
import type { CaseGroup } from "../harness.ts";
import { endsWith, oneOf } from "../../query/operators.ts";

export const modelCases: CaseGroup = (ctx) => {
  ctx.describe("model CRUD", () => {
    ctx.it("create, find, save, reload, delete", async () => {
      const { Owner } = ctx.models;
      const ann = await Owner.create({ email: "ann@crud.test", name: "Ann", age: 30 });
      ok(ann.isPersisted, "isPersisted after create");
      ok(typeof ann.id === "number" && ann.id > 0, `an auto-increment id (got ${String(ann.id)})`);
      equal(ann.active, true, "the model default");

      const found = await Owner.find(ann.id);
      ok(found, "find() by id");
      equal([found.email, found.name, found.age, found.active], ["ann@crud.test", "Ann", 30, true], "the found record");
      equal(await Owner.find(ann.id + 1_000_000), null, "find() of a missing id");
      await rejects(Owner.findOrFail(ann.id + 1_000_000), RecordNotFoundError, "findOrFail() of a missing id");

      found.name = "Annie";
      ok(found.isDirty("name"), "isDirty after a change");
      await found.save();
      ok(!found.isDirty(), "clean after save()");
      await ann.reload();
      equal(ann.name, "Annie", "reload() reads the saved change");
      equal((await Owner.findBy({ email: "ann@crud.test" }))?.name, "Annie", "findBy()");

      equal(await Owner.updateWhere({ email: "ann@crud.test" }, { age: 31 }), 1, "updateWhere() count");
      await ann.reload();
      equal(ann.age, 31, "the updated age");

      equal(await ann.delete(), true, "delete() of an existing row");
      equal(await Owner.find(ann.id), null, "find() after delete");
      equal(await ann.delete(), false, "delete() of a row already gone");
      await rejects(ann.reload(), RecordNotFoundError, "reload() of a deleted row");
    });

    ctx.it("insertMany returns records and counts, all or nothing", async () => {
      const { Owner, Pet } = ctx.models;
      const people = ["A", "B", "C"].map((n) => ({ email: `${n.toLowerCase()}@many.test`, name: n }));
      const records = await Owner.insertMany(people);
      equal(records.map((r) => r.email), people.map((p) => p.email), "records in input order");
      ok(records.every((r) => r.isPersisted), "every record persisted");
      const pets = await Pet.insertMany(records.map((r) => ({ ownerId: r.id, name: `pet of ${r.name}` })), { returning: false });
      equal(pets, 3, "the count with returning: false");
      equal(await Pet.count({ ownerId: oneOf(records.map((r) => r.id)) }), 3, "pets stored");
      await rejects(
        Owner.insertMany([{ email: "d@many.test", name: "D" }, { email: "a@many.test", name: "dup" }]),
        Error,
        "a batch with a duplicate",
      );
      equal(await Owner.count({ email: "d@many.test" }), 0, "no row of a failed single-statement batch");
      equal(await Owner.deleteWhere({ email: endsWith("@many.test"), name: "nobody" }), 0, "deleteWhere() of nothing");
    });

    ctx.it("insertMany past one statement's parameter limit", async () => {
      const { Sample } = ctx.models;
      const perRow = 2;
      const rows = Math.min(50_000, Math.floor(ctx.backend.dialect.capabilities.maxParameters / perRow) + 10);
      const inserted = await Sample.insertMany(Array.from({ length: rows }, (_, i) => ({ integer: i, text: "bulk" })), { returning: false });
      equal(inserted, rows, "inserted rows");
      equal(await Sample.count({ text: "bulk" }), rows, "rows stored");
      equal(await Sample.query().where({ text: "bulk" }).deleteAll(), rows, "deleteAll() count");
    });

    ctx.it("insertMany past the parameter limit returns its records, and a failure in a later statement undoes the earlier ones", async () => {
      const { Owner } = ctx.models;
      // At least two columns a row (email, name), so this many rows takes at least two statements.
      const rows = Math.min(50_000, Math.floor(ctx.backend.dialect.capabilities.maxParameters / 2) + 10);
      const people = Array.from({ length: rows }, (_, i) => ({ email: `${i}@split.test`, name: "split" }));
      const records = await Owner.insertMany(people);
      equal(records.length, rows, "records returned");
      equal([records[0]!.email, records[rows - 1]!.email], [people[0]!.email, people[rows - 1]!.email], "the first and last record, in input order");
      ok(records.every((r) => r.isPersisted && typeof r.id === "number"), "every record persisted, with its id");
      equal(new Set(records.map((r) => r.id)).size, rows, "distinct ids");
      equal(await Owner.count({ name: "split" }), rows, "rows stored");

      // The duplicate is the last row, so it is in the last statement: the earlier statements must be undone.
      const again = Array.from({ length: rows }, (_, i) => ({ email: `${i}@split-again.test`, name: "split-again" }));
      again[rows - 1] = { email: people[0]!.email, name: "split-again" };
      await rejects(Owner.insertMany(again), IntegrityError, "a split insert whose last statement has a duplicate");
      equal(await Owner.count({ name: "split-again" }), 0, "rows of the failed split insert");
      equal(await Owner.deleteWhere({ name: "split" }), rows, "deleteWhere() count");
    });
  });
};
