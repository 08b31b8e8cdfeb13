/** The minimal app the size budget is about: one model, one select by id, on libSQL. */
import { ActiveRecord, column, table } from "edgerecord";
import { LibsqlBackend } from "edgerecord/libsql";

@table("users")
class User extends ActiveRecord {
  @column.id() id!: number;
  @column.text() name!: string;
}

User.configure({ url: (globalThis as { DB_URL?: string }).DB_URL ?? ":memory:" }, LibsqlBackend);
export const user = await User.find(1);
