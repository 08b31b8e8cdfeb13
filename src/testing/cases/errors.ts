/** Driver errors arrive mapped: each IntegrityError kind with its column, QueryError with sql and params. */
import { DatabaseError, IntegrityError, QueryError, type IntegrityKind } from "../../errors.ts";
import { equal, ok, rejects } from "../assert.ts";
import type { CaseGroup, SuiteContext } from "../harness.ts";

function checkIntegrity(ctx: SuiteContext, error: IntegrityError, kind: IntegrityKind, table: string, column?: string): void {
  equal(error.kind, kind, "IntegrityError.kind");
  equal(error.code, "INTEGRITY", "IntegrityError.code");
  ok(error.cause !== undefined, "the driver's error is kept as cause");
  ok(typeof error.sql === "string" && error.sql.length > 0, "the failing statement is attached as sql");
  ok(Array.isArray(error.params), "its parameters are attached as params");
  if (error.table !== undefined) equal(error.table, table, "IntegrityError.table");
  if (column !== undefined) {
    ok(error.column !== undefined && error.column.split(/,\s*/).includes(column), `IntegrityError.column names "${column}" (got ${String(error.column)})`);
  }
  ok(!(error instanceof QueryError), `an IntegrityError is not a QueryError (${ctx.backend.dialect.name})`);
}

export const errorCases: CaseGroup = (ctx) => {
  ctx.describe("error mapping", () => {
    const owners = () => ctx.models.Owner.metadata.table;

    ctx.it("a unique violation is IntegrityError kind unique, naming the column", async () => {
      const { Owner } = ctx.models;
      await Owner.create({ email: "unique@err.test", name: "first" });
      const error = await rejects(Owner.create({ email: "unique@err.test", name: "second" }), IntegrityError, "a duplicate email");
      checkIntegrity(ctx, error, "unique", owners(), "email");
    });

    ctx.it("a duplicate primary key is IntegrityError kind unique, as any other unique key", async () => {
      const { Owner } = ctx.models;
      const first = await Owner.create({ email: "pk-first@err.test", name: "first" });
      // Straight to the backend with an explicit key: the model would let the database choose one.
      const insert = ctx.backend.dialect.compile({ kind: "insert", table: owners(), columns: ["id", "email", "name"], types: ["integer", "text", "text"], rows: [[first.id, "pk-second@err.test", "second"]] });
      const error = await rejects(ctx.backend.execute(insert), IntegrityError, "a duplicate id");
      checkIntegrity(ctx, error, "unique", owners(), "id");
    });

    ctx.it("a not-null violation is IntegrityError kind not_null, naming the column", async () => {
      // Straight to the backend: model validation would refuse the null before any SQL.
      const insert = ctx.backend.dialect.compile({ kind: "insert", table: owners(), columns: ["email", "name"], types: ["text", "text"], rows: [["nn@err.test", null]] });
      const error = await rejects(ctx.backend.execute(insert), IntegrityError, "a null name");
      checkIntegrity(ctx, error, "not_null", owners(), "name");
    });

    ctx.it("a foreign-key violation is IntegrityError kind foreign_key", async () => {
      const { Pet } = ctx.models;
      const error = await rejects(Pet.create({ ownerId: 987654, name: "stray" }), IntegrityError, "a pet of no owner");
      checkIntegrity(ctx, error, "foreign_key", Pet.metadata.table);
    });

    ctx.it("a check violation is IntegrityError kind check", async () => {
      const table = `${ctx.prefix}_checked`;
      const q = ctx.backend.dialect.quoteIdentifier;
      ctx.track(table);
      await ctx.backend.execute(ctx.raw(`CREATE TABLE ${q(table)} (id INTEGER PRIMARY KEY, qty INTEGER CONSTRAINT ${q(`${table}_qty_positive`)} CHECK (qty > 0))`));
      await ctx.backend.execute(ctx.raw(`INSERT INTO ${q(table)} (id, qty) VALUES (?, ?)`, [1, 5]));
      const error = await rejects(ctx.backend.execute(ctx.raw(`INSERT INTO ${q(table)} (id, qty) VALUES (?, ?)`, [2, -1])), IntegrityError, "a negative qty");
      checkIntegrity(ctx, error, "check", table);
      if (error.constraint !== undefined) ok(error.constraint.includes(`${table}_qty_positive`), `the constraint is named (got ${error.constraint})`);
    });

    ctx.it("a bad statement is QueryError with sql and params, not an IntegrityError", async () => {
      const query = ctx.raw("SELECT * FROM no_such_table_anywhere WHERE id = ?", [42]);
      const error = await rejects(ctx.backend.execute(query), QueryError, "a missing table");
      equal(error.sql, query.sql, "QueryError.sql");
      equal(error.params, query.params, "QueryError.params");
      ok(error.cause !== undefined, "the driver's error is kept as cause");
      ok(error instanceof DatabaseError, "a QueryError is a DatabaseError");
    });

    ctx.it("errors inside a transaction are mapped the same way", async () => {
      const { Owner } = ctx.models;
      await Owner.create({ email: "tx-unique@err.test", name: "first" });
      const duplicate = { email: "tx-unique@err.test", name: "second" };
      // create() reads its row back, which a transaction sent as one batch at commit cannot answer:
      // there the duplicate goes in as a plain INSERT, and the error arrives from the commit.
      const write = async (): Promise<unknown> =>
        ctx.backend.dialect.capabilities.interactiveTransactions ? Owner.create(duplicate) : Owner.insertMany([duplicate], { returning: false });
      const error = await rejects(
        Owner.transaction(write),
        IntegrityError,
        "a duplicate in a transaction",
      );
      checkIntegrity(ctx, error, "unique", owners(), "email");
      const syntax = await rejects(ctx.models.Owner.transaction(() => ctx.models.Owner.raw("SELEC nonsense")), QueryError, "a syntax error in a transaction");
      equal(syntax.sql, "SELEC nonsense", "QueryError.sql in a transaction");
    });
  });
};
