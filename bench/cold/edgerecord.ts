/** Cold start, EdgeRecord: import, configure, create the table, insert a row, first select by id. */
import { ActiveRecord, column, table } from "edgerecord";
import { LibsqlBackend } from "edgerecord/libsql";

@table("users")
class User extends ActiveRecord {
  @column.id() id!: number;
  @column.text() name!: string;
}

User.configure({ url: ":memory:" }, LibsqlBackend);
await User.createTable();
await User.create({ name: "Ann" });
const user = await User.find(1);
if (user?.name !== "Ann") throw new Error("cold start app read the wrong row");
// Milliseconds since the process began (performance.timeOrigin), read by bench/bundle-size.ts.
console.log(`COLD ${performance.now()}`);
await User.backend.disconnect();
