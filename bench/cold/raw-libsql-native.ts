/** Cold start, the native `libsql` engine EdgeRecord runs a file database on: import, open, first query. */
import Database from "libsql";

const db = new Database(process.env["COLD_URL"]!.slice("file:".length));
const user = db.prepare("SELECT * FROM users WHERE id = ?").get([1]) as { name: string } | undefined;
if (user?.name !== "Ann") throw new Error("cold start app read the wrong row");
// Ms since the process began (performance.timeOrigin), then CPU ms used so far (user + system), read by bench/cold-start.ts.
const cpu = process.cpuUsage();
console.log(`COLD ${performance.now()} ${(cpu.user + cpu.system) / 1000}`);
db.close();
