/** The benchmark's model for EdgeRecord: one class per table, since each tool has its own table. */
import { ActiveRecord, column, table, type Backend } from "../src/index.ts";
import type { Tool } from "./harness.ts";
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

/**
 * EdgeRecord's side of every workload, the same on each backend. The
 * "prototype" variant opts the model into `hydration: "prototype"`, which
 * only changes how loaded records are made (workloads c, d, f).
 */
export function edgeRecordTool(backend: Backend, tableName: string, hydration: "constructor" | "prototype" = "constructor"): Tool {
  const User = userModel(tableName, hydration);
  User.configure(backend);
  return {
    name: hydration === "prototype" ? "EdgeRecord, hydration: prototype" : "EdgeRecord",
    table: tableName,
    async open() {
      await backend.connect();
    },
    async close() {
      await backend.disconnect();
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
  };
}
