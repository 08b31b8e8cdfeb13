/** The benchmark's model for EdgeRecord: one class per table, since each tool has its own table. */
import { ActiveRecord, column, table } from "../src/index.ts";

export function userModel(tableName: string) {
  @table(tableName)
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
