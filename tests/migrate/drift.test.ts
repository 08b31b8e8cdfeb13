/**
 * Generated migrations applied to real databases leave exactly the models'
 * schema (no drift, introspected), and drift is reported: libSQL (memory and
 * file), PostgreSQL and D1 (Miniflare).
 */
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Backend } from "../../src/backend/backend.ts";
import { D1Backend, type D1Database } from "../../src/backend/d1/index.ts";
import { PostgresBackend } from "../../src/backend/postgres/index.ts";
import { ActiveRecord, column, table } from "../../src/index.ts";
import { detectDrift, EMPTY_SNAPSHOT, generateMigration, migrate, MigrationError, rollback, snapshotFromModels, type Migration } from "../../src/migrate/index.ts";
import { BLOG } from "../support/blog.ts";
import { LIBSQL_KINDS, openLibsql } from "../support/libsql.ts";
import { createTestSchema } from "../support/postgres.ts";

@table("accounts")
class AccountV1 extends ActiveRecord {
  @column.id() id!: number;
  @column.text({ unique: true }) email!: string;
  @column.text({ nullable: true }) name!: string | null;
  @column.integer({ default: 0 }) visits!: number;
}

@table("accounts")
class AccountV2 extends ActiveRecord {
  @column.id() id!: number;
  @column.text({ unique: true }) email!: string;
  @column.text({ nullable: true }) fullName!: string | null;
  @column.bigint({ default: 10n }) visits!: bigint;
  @column.varchar(20, { default: "free", index: true }) plan!: string;
}

type Open = () => Promise<{ backend: Backend; close(): Promise<void> }>;

function driftSuite(label: string, open: Open): void {
  const using = async (fn: (b: Backend) => Promise<void>) => {
    const db = await open();
    try {
      await fn(db.backend);
    } finally {
      await db.close();
    }
  };
  const models = [...BLOG, AccountV1];

  describe(`generated migrations and drift on ${label}`, () => {
    it("the generated up leaves the models' schema (no drift); down leaves nothing; drift is reported", () =>
      using(async (backend) => {
        const init = generateMigration(models, EMPTY_SNAPSHOT);
        const expected = snapshotFromModels(models);
        expect((await detectDrift(backend, expected)).map((d) => d.kind)).toEqual(expect.arrayContaining(["missing table"]));
        await migrate(backend, { migrations: { "001_init": init.migration } });
        expect(await detectDrift(backend, expected)).toEqual([]);
        await rollback(backend, { migrations: { "001_init": init.migration } });
        expect((await detectDrift(backend, expected)).filter((d) => d.kind !== "missing table")).toEqual([]);
        await migrate(backend, { migrations: { "001_init": init.migration } });

        // Drift made behind the models' back: a column added, a type and a nullability changed.
        const byHand: Migration = {
          // Only tables no other table references with an ON DELETE action: D1 refuses to rebuild those.
          up: (s) => s.addColumn("authors", "nickname", "text", { nullable: true }).alterColumn("comments", "body", { type: "varchar", length: 10 }).alterColumn("profiles", "bio", { nullable: true }),
        };
        await migrate(backend, { migrations: { "001_init": init.migration, "002_by_hand": byHand } });
        const drift = await detectDrift(backend, expected);
        expect(drift.map((d) => `${d.kind} ${d.table}.${d.column}`).sort()).toEqual(["extra column authors.nickname", "nullability profiles.bio", "type comments.body"]);
        expect(drift.find((d) => d.kind === "type")!.message).toMatch(/comments\.body: the models say TEXT, the database has (VARCHAR\(10\)|character varying\(10\))/i);
      }));

    it("a second generated migration (a hinted rename, a new indexed column, a retyped default) applies, rolls back and re-applies without drift", () =>
      using(async (backend) => {
        const v1 = generateMigration([AccountV1], EMPTY_SNAPSHOT);
        const v2 = generateMigration([AccountV2], v1.snapshot, { renames: ["accounts.name:full_name"] });
        expect(v2.warnings).toEqual([]);
        const migrations = { "001": v1.migration, "002": v2.migration };
        await migrate(backend, { migrations: { "001": v1.migration } });
        await backend.execute({ sql: "INSERT INTO accounts (email, name) VALUES ('a@x', 'Ann')", params: [] });
        if (!backend.dialect.capabilities.interactiveTransactions) {
          // D1 runs a migration as one batch: a table renamed-into and then rebuilt in the same batch cannot be read first.
          await expect(migrate(backend, { migrations })).rejects.toThrow(MigrationError);
          return;
        }
        await migrate(backend, { migrations });
        expect(await detectDrift(backend, v2.snapshot)).toEqual([]);
        const rows = await backend.execute({ sql: "SELECT full_name, visits, plan FROM accounts", params: [] });
        expect(rows.rows.map((r) => [r.full_name, Number(r.visits), r.plan])).toEqual([["Ann", 0, "free"]]);
        await rollback(backend, { migrations });
        expect(await detectDrift(backend, v1.snapshot)).toEqual([]);
        expect((await backend.execute({ sql: "SELECT name FROM accounts", params: [] })).rows[0]?.name).toBe("Ann");
        await migrate(backend, { migrations });
        expect(await detectDrift(backend, v2.snapshot)).toEqual([]);
      }));
  });
}

for (const kind of LIBSQL_KINDS) {
  driftSuite(`libSQL (${kind})`, async () => openLibsql(kind));
}

driftSuite("PostgreSQL", async () => {
  const schema = await createTestSchema();
  const backend = new PostgresBackend(schema.config);
  return {
    backend,
    async close() {
      await backend.disconnect();
      await schema.drop();
    },
  };
});

let mf: Miniflare;
let counter = 0;
beforeAll(() => {
  mf = new Miniflare({ modules: true, script: "export default { fetch() { return new Response('') } }", d1Databases: ["DB0", "DB1", "DB2", "DB3"] });
});
afterAll(() => mf.dispose());

driftSuite("D1 (Miniflare)", async () => {
  const db = (await mf.getD1Database(`DB${counter++}`)) as unknown as D1Database;
  return { backend: new D1Backend({ binding: db }), close: async () => undefined };
});
