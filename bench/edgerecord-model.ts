/** The benchmark's model for EdgeRecord: one class per table, since each tool has its own table. */
import { ActiveRecord, column, hasMany, table, type Backend } from "../src/index.ts";
import { parentTables, type Tool } from "./harness.ts";
import { gte, like } from "../src/index.ts";

export function userModel(tableName: string, hydration: "constructor" | "prototype" = "constructor") {
  @table(tableName, { hydration })
  class BenchUser extends ActiveRecord {
    @column.id() id!: number;
    @column.text() name!: string;
    @column.text() email!: string;
    @column.integer({ index: true }) age!: number;
    @column.datetime() createdAt!: Date;
  }
  return BenchUser;
}

export type BenchUserClass = ReturnType<typeof userModel>;

/** g's models: an author has many posts (posts.author_id, indexed); the tables are made and filled by the fixture. */
export function authorModels(usersTable: string, hydration: "constructor" | "prototype" = "constructor") {
  const names = parentTables(usersTable);
  @table(names.posts, { hydration })
  class BenchPost extends ActiveRecord {
    @column.id() id!: number;
    @column.integer({ index: true }) authorId!: number;
    @column.text() title!: string;
  }
  @table(names.authors, { hydration })
  class BenchAuthor extends ActiveRecord {
    @column.id() id!: number;
    @column.text() name!: string;
    @column.text() email!: string;
    @hasMany(() => BenchPost, { foreignKey: "authorId" }) posts!: BenchPost[];
  }
  return { BenchAuthor, BenchPost };
}

export interface EdgeRecordToolOptions {
  /** "prototype": `@table(name, { hydration: "prototype" })`, which only changes how loaded records are made (c, d, f, g). */
  hydration?: "constructor" | "prototype";
  /** Attach a cheap `ActiveRecord.on("query", ...)` listener while the tool is open (issue #15: what a listener costs). */
  listener?: boolean;
}

/**
 * EdgeRecord's side of every workload, the same on each backend. The
 * "prototype" variant opts the models into `hydration: "prototype"`; the
 * "listener" variant is the default model with a query listener attached.
 */
export function edgeRecordTool(backend: Backend, tableName: string, options: EdgeRecordToolOptions = {}): Tool {
  const hydration = options.hydration ?? "constructor";
  const User = userModel(tableName, hydration);
  const { BenchAuthor, BenchPost } = authorModels(tableName, hydration);
  for (const model of [User, BenchAuthor, BenchPost]) model.configure(backend);
  // The listener: what an application's metrics hook would do, cheaply (count and sum durations).
  let heard = 0;
  let spent = 0;
  let off: (() => void) | undefined;
  return {
    name: options.listener ? "EdgeRecord, query listener attached" : hydration === "prototype" ? "EdgeRecord, hydration: prototype" : "EdgeRecord",
    table: tableName,
    async open() {
      await backend.connect();
      if (options.listener) off = ActiveRecord.on("query", (e) => ((heard += 1), (spent += e.duration)));
    },
    async close() {
      off?.();
      await backend.disconnect();
      // The listener must have heard the statements, else this row measures nothing.
      if (options.listener && heard === 0) throw new Error(`the query listener heard nothing (${spent} ms)`);
    },
    async insertOne(r) {
      await User.create(r);
    },
    async insertBulk(rows) {
      await User.insertMany(rows, { returning: false });
    },
    findById: (id) => User.find(id),
    selectAll: () => User.all(),
    async updateAge(id, age) {
      await User.updateWhere({ id }, { age });
    },
    filtered: () => User.where({ age: gte(30), name: like("a%") }).orderBy("age", "desc").limit(50).all(),
    withCounts: () => BenchAuthor.query().withCount("posts").all(),
    postsCountOf: (row) => (row as { postsCount: number }).postsCount,
  };
}
