/** Models shared by the tests. This file is compiled in both decorator modes (see vitest.config.ts). */
import { z } from "zod";
import { ActiveRecord, column, table } from "../../src/index.ts";

@table("users", { indexes: [{ columns: ["name", "age"] }] })
export class User extends ActiveRecord {
  @column.id() id!: number;
  @column.text({ unique: true, validate: z.email() }) email!: string;
  @column.text({ nullable: true }) name!: string | null;
  @column.integer({ default: 0, index: true }) age!: number;
  @column.boolean({ default: true }) active!: boolean;
  @column.datetime({ default: "now" }) createdAt!: Date;
}

/** One column of every type, to prove values round-trip. */
@table("samples")
export class Sample extends ActiveRecord {
  @column.id() id!: number;
  @column.integer({ nullable: true }) int!: number | null;
  @column.bigint({ nullable: true }) big!: bigint | null;
  @column.real({ nullable: true }) ratio!: number | null;
  @column.decimal({ nullable: true, precision: 30, scale: 10 }) price!: string | null;
  @column.text({ nullable: true }) body!: string | null;
  @column.varchar(20, { nullable: true }) code!: string | null;
  @column.boolean({ nullable: true }) flag!: boolean | null;
  @column.date({ nullable: true }) day!: Date | null;
  @column.datetime({ nullable: true }) at!: Date | null;
  @column.json({ nullable: true }) data!: unknown;
  @column.uuid({ nullable: true }) ref!: string | null;
  @column.blob({ nullable: true }) bytes!: Uint8Array | null;
}

export const MODELS = [User, Sample] as const;
