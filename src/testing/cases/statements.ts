/** What a backend reports about a statement: affectedRows, lastInsertId, RETURNING rows, plain row objects. */
import { equal, ok } from "../assert.ts";
import type { CaseGroup } from "../harness.ts";

export const statementCases: CaseGroup = (ctx) => {
  ctx.describe("statements", () => {
    const owners = () => ctx.models.Owner.metadata.table;
    const insert = (rows: [string, string][], returning?: string[]) =>
      ctx.run({
        kind: "insert",
        table: owners(),
        columns: ["email", "name"],
        types: ["text", "text"],
        rows,
        ...(returning ? { returning } : {}),
      });

    ctx.it("affectedRows counts inserted, updated and deleted rows, and is 0 for a SELECT", async () => {
      const tag = `stmt-${Date.now()}`;
      const inserted = await insert([[`${tag}-a@x.test`, tag], [`${tag}-b@x.test`, tag], [`${tag}-c@x.test`, tag]]);
      equal(inserted.affectedRows, 3, "INSERT of 3 rows");
      const where = { kind: "compare", column: "name", op: "=", value: tag, type: "text" } as const;
      const updated = await ctx.run({ kind: "update", table: owners(), set: [{ column: "age", value: 5, type: "integer" }], where });
      equal(updated.affectedRows, 3, "UPDATE of 3 rows");
      const none = await ctx.run({ kind: "update", table: owners(), set: [{ column: "age", value: 5, type: "integer" }], where: { ...where, value: "nobody" } });
      equal(none.affectedRows, 0, "UPDATE matching nothing");
      const selected = await ctx.run({ kind: "select", table: owners(), columns: [], where });
      equal(selected.rows.length, 3, "SELECT rows");
      equal(selected.affectedRows, 0, "SELECT affectedRows");
      const deleted = await ctx.run({ kind: "delete", table: owners(), where });
      equal(deleted.affectedRows, 3, "DELETE of 3 rows");
      ok(typeof deleted.duration === "number" && deleted.duration >= 0, "duration is a non-negative number of ms");
    });

    ctx.it("rows are plain objects keyed by column name", async () => {
      const { rows } = await ctx.backend.execute(ctx.raw("SELECT 1 AS one, 'two' AS two"));
      equal(rows.length, 1, "one row");
      const row = rows[0]!;
      equal(Object.getPrototypeOf(row), Object.prototype, "the row's prototype");
      equal(Object.keys(row), ["one", "two"], "the row's keys, in select order");
      equal(Number(row["one"]), 1, "one");
      equal(row["two"], "two", "two");
    });

    ctx.it("arrayRows, when honoured, gives each row's values in columns order, equal to the object rows", async () => {
      const tag = `arr-${Date.now()}`;
      await insert([[`${tag}-1@x.test`, tag], [`${tag}-2@x.test`, tag]]);
      const select = ctx.backend.dialect.compile({
        kind: "select",
        table: owners(),
        columns: [],
        where: { kind: "compare", column: "name", op: "=", value: tag, type: "text" },
        orderBy: [{ column: "email", direction: "ASC" }],
      });
      const objects = await ctx.backend.execute(select);
      const arrays = await ctx.backend.execute({ ...select, arrayRows: true });
      if (!arrays.values) {
        equal(arrays.rows, objects.rows, "rows of a backend that ignores the hint");
        return;
      }
      equal(arrays.rows, [], "rows beside values");
      equal(arrays.values.columns, Object.keys(objects.rows[0]!), "columns: the object rows' keys, in order");
      equal(
        arrays.values.rows.map((row) => [...row]),
        objects.rows.map((row) => Object.values(row)),
        "each row's values",
      );
    });

    ctx.it("lastInsertId, when reported, is the new row's id", async () => {
      const email = `last-${Date.now()}@x.test`;
      const result = await insert([[email, "last"]]);
      equal(result.affectedRows, 1, "INSERT of 1 row");
      if (result.lastInsertId === undefined) return;
      ok(typeof result.lastInsertId === "number" || typeof result.lastInsertId === "bigint", "lastInsertId is a number or bigint");
      const { rows } = await ctx.run({ kind: "select", table: owners(), columns: [{ kind: "column", column: "id" }], where: { kind: "compare", column: "email", op: "=", value: email, type: "text" } });
      equal(Number(result.lastInsertId), Number(rows[0]!["id"]), "lastInsertId");
    });

    ctx.it("RETURNING gives the written rows (when capabilities.returning)", async () => {
      if (!ctx.backend.dialect.capabilities.returning) return;
      const tag = `ret-${Date.now()}`;
      const result = await insert([[`${tag}-1@x.test`, tag], [`${tag}-2@x.test`, tag]], ["id", "email", "active"]);
      equal(result.affectedRows, 2, "INSERT ... RETURNING affectedRows");
      equal(result.rows.length, 2, "INSERT ... RETURNING rows");
      equal(result.rows.map((r) => r["email"]), [`${tag}-1@x.test`, `${tag}-2@x.test`], "returned emails");
      ok(result.rows.every((r) => r["id"] !== null && r["id"] !== undefined), "returned ids are set");
      const values = ctx.backend.dialect.values;
      equal(values.fromDatabase("boolean", result.rows[0]!["active"]), true, "a DDL default is returned");
      const updated = await ctx.run({
        kind: "update",
        table: owners(),
        set: [{ column: "age", value: 77, type: "integer" }],
        where: { kind: "compare", column: "name", op: "=", value: tag, type: "text" },
        returning: ["age"],
      });
      equal(updated.affectedRows, 2, "UPDATE ... RETURNING affectedRows");
      equal(updated.rows.map((r) => values.fromDatabase("integer", r["age"])), [77, 77], "UPDATE ... RETURNING rows");
    });

    ctx.it("batch(), when offered, runs statements atomically", async () => {
      const batch = ctx.backend.batch?.bind(ctx.backend);
      if (!batch) return;
      const tag = `batch-${Date.now()}`;
      const q = (email: string) => ctx.backend.dialect.compile({ kind: "insert", table: owners(), columns: ["email", "name"], types: ["text", "text"], rows: [[email, tag]] });
      const results = await batch([q(`${tag}-1@x.test`), q(`${tag}-2@x.test`)]);
      equal(results.map((r) => r.affectedRows), [1, 1], "each statement's affectedRows");
      await batch([q(`${tag}-3@x.test`), q(`${tag}-1@x.test`)]).then(
        () => Promise.reject(new Error("a batch with a duplicate key succeeded")),
        () => undefined,
      );
      const count = await ctx.models.Owner.count({ name: tag });
      equal(count, 2, "rows after a failed batch (none of it kept)");
    });
  });
};
