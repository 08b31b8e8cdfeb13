/**
 * The libSQL side: one WAL database file per tool, the same DDL for all.
 * Raw baseline: `@libsql/client` used the way its README shows. Peer
 * libraries are imported only when their tool is made, so a process that
 * runs one tool loads only that tool's code (as an application would).
 */
import { createRequire } from "node:module";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createClient, type Client, type InStatement } from "@libsql/client";
import type { Generated } from "kysely";
import { groupedCountSql, parentTables, type Fixture, type Tool, type ToolEntry, type UserInput } from "./harness.ts";
import type { EdgeRecordToolOptions } from "./edgerecord-model.ts";
import { typeormEntity } from "./typeorm-entity.ts";

const CHUNK = 1000;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function ddl(table: string): string[] {
  return [
    `DROP TABLE IF EXISTS "${table}"`,
    `CREATE TABLE "${table}" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "name" TEXT NOT NULL, "email" TEXT NOT NULL, "age" INTEGER NOT NULL, "created_at" TEXT NOT NULL)`,
    `CREATE INDEX "${table}_age_idx" ON "${table}" ("age")`,
  ];
}

/** g's tables: authors, and posts with an indexed foreign key to them (the index a good schema has, which both sides use). */
function parentDdl(usersTable: string): string[] {
  const { authors, posts } = parentTables(usersTable);
  return [
    `DROP TABLE IF EXISTS "${posts}"`,
    `DROP TABLE IF EXISTS "${authors}"`,
    `CREATE TABLE "${authors}" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "name" TEXT NOT NULL, "email" TEXT NOT NULL)`,
    `CREATE TABLE "${posts}" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "author_id" INTEGER NOT NULL REFERENCES "${authors}" ("id"), "title" TEXT NOT NULL)`,
    `CREATE INDEX "${posts}_author_id_index" ON "${posts}" ("author_id")`,
  ];
}

/** Author i of 1..n gets i % 11 posts, written round by round (post ids cycle through the authors, as posts written over time would). */
function parentFill(usersTable: string, parents: number): string[] {
  const { authors, posts } = parentTables(usersTable);
  const n = `n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${parents})`;
  return [
    `WITH RECURSIVE ${n} INSERT INTO "${authors}" ("id", "name", "email") SELECT i, 'author ' || i, 'author' || i || '@example.com' FROM n`,
    `WITH RECURSIVE ${n}, k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < 10) ` +
      `INSERT INTO "${posts}" ("author_id", "title") SELECT n.i, 'post ' || k.j || ' by ' || n.i FROM k JOIN n ON k.j <= n.i % 11 ORDER BY k.j, n.i`,
    "ANALYZE",
  ];
}

export interface LibsqlSuite {
  tools: ToolEntry[];
  fixture: Fixture;
  cleanup(): Promise<void>;
}

/** The tools, by the key `npm run bench -- --tools` and the per-process runner use. */
export const LIBSQL_TOOLS = ["raw", "edgerecord", "edgerecord_prototype", "edgerecord_listener", "drizzle", "kysely", "typeorm"] as const;

/** Creates the files and tables (of the tools in `keys`, or all); the tools connect in `open()`. */
export async function libsqlSuite(dir: string, keys: readonly string[] = LIBSQL_TOOLS): Promise<LibsqlSuite> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const urlOf = (table: string) => `file:${join(dir, `${table}.db`)}`;
  const admins = new Map<string, Client>();
  const admin = async (table: string) => {
    let client = admins.get(table);
    if (!client) {
      client = createClient({ url: urlOf(table) });
      await client.execute("PRAGMA journal_mode = WAL");
      for (const sql of ddl(table)) await client.execute(sql);
      admins.set(table, client);
    }
    return client;
  };
  const edgeRecord = async (url: string, table: string, options: EdgeRecordToolOptions = {}) => {
    const [{ LibsqlBackend }, { edgeRecordTool }] = await Promise.all([import("../src/backend/libsql/index.ts"), import("./edgerecord-model.ts")]);
    return edgeRecordTool(new LibsqlBackend({ url }), table, options);
  };
  const makers: Record<(typeof LIBSQL_TOOLS)[number], (url: string, table: string) => Promise<Tool>> = {
    raw: async (url, table) => rawTool(url, table),
    edgerecord: (url, table) => edgeRecord(url, table),
    edgerecord_prototype: (url, table) => edgeRecord(url, table, { hydration: "prototype" }),
    edgerecord_listener: (url, table) => edgeRecord(url, table, { listener: true }),
    drizzle: drizzleTool,
    kysely: kyselyTool,
    typeorm: typeormTool,
  };
  const tools: ToolEntry[] = [];
  for (const key of keys) {
    const make = makers[key as keyof typeof makers];
    if (!make) throw new Error(`unknown libSQL tool ${key} (one of ${LIBSQL_TOOLS.join(", ")})`);
    const table = `bench_users_${key}`;
    await admin(table);
    tools.push(await make(urlOf(table), table));
  }
  return {
    tools,
    fixture: {
      async reset(tool) {
        const client = await admin(tool.table);
        await client.batch([`DELETE FROM "${tool.table}"`, { sql: "DELETE FROM sqlite_sequence WHERE name = ?", args: [tool.table] }], "write");
      },
      async fillParents(tool, parents) {
        const client = await admin(tool.table);
        await client.batch([...parentDdl(tool.table), ...parentFill(tool.table, parents)], "write");
      },
    },
    async cleanup() {
      for (const client of admins.values()) client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const INSERT_COLUMNS = `("name", "email", "age", "created_at")`;

function rawTool(url: string, table: string): Tool {
  let client!: Client;
  const t = `"${table}"`;
  const counts = groupedCountSql(table);
  const args = (r: UserInput) => [r.name, r.email, r.age, r.createdAt.toISOString()];
  return {
    name: "@libsql/client (raw)",
    table,
    async open() {
      client = createClient({ url });
    },
    async close() {
      client.close();
    },
    async insertOne(r) {
      await client.execute({ sql: `INSERT INTO ${t} ${INSERT_COLUMNS} VALUES (?, ?, ?, ?)`, args: args(r) });
    },
    async insertBulk(rows) {
      // Multi-row VALUES statements in one write batch (a transaction): fewer statements to prepare than one per row.
      const statements: InStatement[] = chunks(rows).map((chunk) => ({
        sql: `INSERT INTO ${t} ${INSERT_COLUMNS} VALUES ${chunk.map(() => "(?, ?, ?, ?)").join(", ")}`,
        args: chunk.flatMap(args),
      }));
      await client.batch(statements, "write");
    },
    async findById(id) {
      return (await client.execute({ sql: `SELECT * FROM ${t} WHERE "id" = ?`, args: [id] })).rows[0];
    },
    async selectAll() {
      return (await client.execute(`SELECT * FROM ${t}`)).rows;
    },
    async updateAge(id, age) {
      await client.execute({ sql: `UPDATE ${t} SET "age" = ? WHERE "id" = ?`, args: [age, id] });
    },
    async filtered() {
      const sql = `SELECT * FROM ${t} WHERE "age" >= ? AND "name" LIKE ? ORDER BY "age" DESC LIMIT ?`;
      return (await client.execute({ sql, args: [30, "a%", 50] })).rows;
    },
    async withCounts() {
      return (await client.execute(counts)).rows;
    },
    postsCountOf: (row) => (row as { posts_count: number }).posts_count,
  };
}

async function drizzleTool(url: string, table: string): Promise<Tool> {
  const [{ and, desc, eq, gte, like }, { drizzle }, { integer, sqliteTable, text }] = await Promise.all([
    import("drizzle-orm"),
    import("drizzle-orm/libsql"),
    import("drizzle-orm/sqlite-core"),
  ]);
  const users = sqliteTable(table, {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    email: text("email").notNull(),
    age: integer("age").notNull(),
    createdAt: text("created_at").notNull(),
  });
  const client = createClient({ url });
  const db = drizzle(client);
  const value = (r: UserInput) => ({ name: r.name, email: r.email, age: r.age, createdAt: r.createdAt.toISOString() });
  return {
    name: "Drizzle",
    table,
    async open() {},
    async close() {
      client.close();
    },
    async insertOne(r) {
      await db.insert(users).values(value(r));
    },
    async insertBulk(rows) {
      await db.transaction(async (tx) => {
        for (const chunk of chunks(rows)) await tx.insert(users).values(chunk.map(value));
      });
    },
    async findById(id) {
      return (await db.select().from(users).where(eq(users.id, id)))[0];
    },
    selectAll: () => db.select().from(users),
    async updateAge(id, age) {
      await db.update(users).set({ age }).where(eq(users.id, id));
    },
    filtered: () => db.select().from(users).where(and(gte(users.age, 30), like(users.name, "a%"))).orderBy(desc(users.age)).limit(50),
  };
}

interface UsersTable {
  id: Generated<number>;
  name: string;
  email: string;
  age: number;
  created_at: string;
}

async function kyselyTool(url: string, table: string): Promise<Tool> {
  const [{ Kysely }, { LibsqlDialect }] = await Promise.all([import("kysely"), import("@libsql/kysely-libsql")]);
  const client = createClient({ url });
  // The dialect is typed against the client version it was built with; the runtime API is the same.
  const db = new Kysely<{ users: UsersTable }>({ dialect: new LibsqlDialect({ client } as never) });
  // Each tool has its own table: Kysely's types know it as "users".
  const t = table as "users";
  const value = (r: UserInput) => ({ name: r.name, email: r.email, age: r.age, created_at: r.createdAt.toISOString() });
  return {
    name: "Kysely",
    table,
    async open() {},
    async close() {
      await db.destroy();
    },
    async insertOne(r) {
      await db.insertInto(t).values(value(r)).execute();
    },
    async insertBulk(rows) {
      await db.transaction().execute(async (trx) => {
        for (const chunk of chunks(rows)) await trx.insertInto(t).values(chunk.map(value)).execute();
      });
    },
    findById: (id) => db.selectFrom(t).selectAll().where("id", "=", id).executeTakeFirst(),
    selectAll: () => db.selectFrom(t).selectAll().execute(),
    async updateAge(id, age) {
      await db.updateTable(t).set({ age }).where("id", "=", id).execute();
    },
    filtered: () => db.selectFrom(t).selectAll().where("age", ">=", 30).where("name", "like", "a%").orderBy("age", "desc").limit(50).execute(),
  };
}

async function typeormTool(url: string, table: string): Promise<Tool> {
  const { DataSource, Like, MoreThanOrEqual } = await import("typeorm");
  // TypeORM has no libSQL driver; its better-sqlite3 driver runs on the native `libsql` package, whose API is the same.
  const libsql = createRequire(import.meta.url)("libsql");
  const entity = await typeormEntity(table, "text");
  const source = new DataSource({ type: "better-sqlite3", database: url.slice("file:".length), driver: libsql, entities: [entity] });
  const repo = () => source.getRepository(entity);
  const value = (r: UserInput) => ({ name: r.name, email: r.email, age: r.age, createdAt: r.createdAt.toISOString() });
  return {
    name: "TypeORM",
    table,
    async open() {
      await source.initialize();
    },
    async close() {
      await source.destroy();
    },
    async insertOne(r) {
      await repo().insert(value(r));
    },
    async insertBulk(rows) {
      await source.transaction(async (manager) => {
        for (const chunk of chunks(rows)) await manager.insert(entity, chunk.map(value));
      });
    },
    findById: (id) => repo().findOneBy({ id }),
    selectAll: () => repo().find(),
    async updateAge(id, age) {
      await repo().update({ id }, { age });
    },
    filtered: () => repo().find({ where: { age: MoreThanOrEqual(30), name: Like("a%") }, order: { age: "DESC" }, take: 50 }),
  };
}
