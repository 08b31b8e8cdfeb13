/** Cold start, EdgeRecord on a libSQL file: import, configure, first query (a find by key). */
import { ActiveRecord, column, table } from "edgerecord";
import { LibsqlBackend } from "edgerecord/libsql";

@table("users")
class User extends ActiveRecord {
  @column.id() id!: number;
  @column.text() name!: string;
}

User.configure({ url: process.env["COLD_URL"]! }, LibsqlBackend);
const user = await User.find(1);
if (user?.name !== "Ann") throw new Error("cold start app read the wrong row");
// Ms since the process began (performance.timeOrigin), then CPU ms used so far (user + system), read by bench/cold-start.ts.
const cpu = process.cpuUsage();
console.log(`COLD ${performance.now()} ${(cpu.user + cpu.system) / 1000}`);
await User.backend.disconnect();
