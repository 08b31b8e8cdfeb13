/**
 * Generated migrations applied to real databases leave exactly the models'
 * schema (no drift, introspected), and drift is reported: libSQL (memory and
 * file), PostgreSQL and D1 (Miniflare).
 */
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Backend } from "../../src/backend/backend.ts";
import { D1Backend, type D1Database } from "../../src/backend/d1/index.ts";
import { ActiveRecord, column, table } from "../../src/index.ts";
import { detectDrift, EMPTY_SNAPSHOT, generateMigration, migrate, MigrationError, rollback, snapshotFromModels, type Migration } from "../../src/migrate/index.ts";
import { BLOG } from "../support/blog.ts";
import { POSTGRES } from "../support/backends.ts";
import { LIBSQL_KINDS, openLibsql } from "../support/libsql.ts";

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

@table("teams")
class Team extends ActiveRecord {
  @column.id() id!: number;
  @column.text({ index: true }) name!: string;
  @column.varchar(20, { default: "free" }) plan!: string;
  @column.boolean({ default: true }) active!: boolean;
  @column.integer({ default: 0 }) score!: number;
  @column.decimal({ precision: 8, scale: 2, default: "1.50" }) rate!: string;
  @column.datetime({ default: "now" }) joinedAt!: Date;
}

@table("players")
class Player extends ActiveRecord {
  @column.id() id!: number;
  @column.integer({ references: { table: "teams", onDelete: "cascade" }, index: true }) teamId!: number;
  @column.integer({ references: { table: "teams" }, nullable: true }) formerTeamId!: number | null;
  @column.text() nick!: string;
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
          up: (s) => s.addColumn("authors", "nickname", "text", { nullable: true }).alterColumn("comments", "body", { type: "varchar", length: 10 }).alterColumn("profiles", "bio", { nullable: true }),
        };
        await migrate(backend, { migrations: { "001_init": init.migration, "002_by_hand": byHand } });
        const drift = await detectDrift(backend, expected);
        expect(drift.map((d) => `${d.kind} ${d.table}.${d.column}`).sort()).toEqual(["extra column authors.nickname", "nullability profiles.bio", "type comments.body"]);
        expect(drift.find((d) => d.kind === "type")!.message).toMatch(/comments\.body: the models say TEXT, the database has (VARCHAR\(10\)|character varying\(10\))/i);
      }));

    it("indexes, foreign keys and defaults: each kind of drift is reported, and none after the generated migration", () =>
      using(async (backend) => {
        const init = generateMigration([Team, Player], EMPTY_SNAPSHOT);
        await migrate(backend, { migrations: { "001_init": init.migration } });
        // Defaults as each catalog spells them ('free'::character varying, TRUE / 1, 1.50, CURRENT_TIMESTAMP...) match the models'.
        expect(await detectDrift(backend, init.snapshot)).toEqual([]);
        const byHand: Migration = {
          // Rebuilds first, a parent before its child, then in-place changes: D1 reads the schema once, before its batch.
          up: (s) =>
            s
              .alterColumn("teams", "plan", { default: "pro" })
              .alterColumn("teams", "score", { default: null })
              .addForeignKey("teams", "score", "teams", "id", { name: "fk_teams_score" })
              .dropForeignKey("players", "fk_players_team_id")
              .addForeignKey("players", "team_id", "teams", "id", { onDelete: "set null" })
              .dropForeignKey("players", "fk_players_former_team_id")
              .dropIndex("teams", "teams_name_idx")
              .createIndex("players", ["nick"], { name: "idx_players_nick" })
              .dropIndex("players", "players_team_id_idx")
              .createIndex("players", ["team_id", "nick"], { name: "players_team_id_idx", unique: true }),
        };
        await migrate(backend, { migrations: { "001_init": init.migration, "002_by_hand": byHand } });
        const drift = await detectDrift(backend, init.snapshot);
        expect(drift.map((d) => `${d.kind} ${d.table} ${d.column ?? d.name}`).sort()).toEqual([
          "default teams plan",
          "default teams score",
          "extra foreign key teams score",
          "extra index players idx_players_nick",
          "foreign key players team_id",
          "index players players_team_id_idx",
          "missing foreign key players former_team_id",
          "missing index teams teams_name_idx",
        ]);
        const message = (kind: string, key: string) => drift.find((d) => d.kind === kind && (d.column ?? d.name) === key)!.message;
        expect(message("default", "plan")).toMatch(/^column teams\.plan: the models say DEFAULT 'free', the database has DEFAULT 'pro'/);
        expect(message("default", "score")).toBe("column teams.score: the models say DEFAULT 0, the database has no default");
        expect(message("index", "players_team_id_idx")).toBe("index players_team_id_idx on players: the models say (team_id), the database has UNIQUE (team_id, nick)");
        expect(message("foreign key", "team_id")).toBe("foreign key players (team_id): the models say -> teams ON DELETE CASCADE, the database has -> teams ON DELETE SET NULL");
        expect(message("missing foreign key", "former_team_id")).toBe("foreign key players (former_team_id) -> teams ON DELETE NO ACTION is in the models but not in the database");
        expect(message("missing index", "teams_name_idx")).toBe("index teams_name_idx (name) on teams is in the models but not in the database");
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

driftSuite("PostgreSQL", () => POSTGRES.open());

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
