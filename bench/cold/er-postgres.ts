/** Cold start, EdgeRecord on PostgreSQL: import, configure, first query (a find by key). */
import { ActiveRecord, column, table } from "edgerecord";
import { PostgresBackend } from "edgerecord/postgres";

@table("bench_cold_users")
class User extends ActiveRecord {
  @column.id() id!: number;
  @column.text() name!: string;
}

User.configure({ url: process.env["COLD_URL"]! }, PostgresBackend);
const user = await User.find(1);
if (user?.name !== "Ann") throw new Error("cold start app read the wrong row");
// Ms since the process began (performance.timeOrigin), then CPU ms used so far (user + system), read by bench/cold-start.ts.
const cpu = process.cpuUsage();
console.log(`COLD ${performance.now()} ${(cpu.user + cpu.system) / 1000}`);
await User.backend.disconnect();
