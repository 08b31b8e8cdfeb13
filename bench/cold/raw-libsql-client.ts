/** Cold start, @libsql/client on a libSQL file: import, client, first query. */
import { createClient } from "@libsql/client";

const client = createClient({ url: process.env["COLD_URL"]! });
const { rows } = await client.execute({ sql: "SELECT * FROM users WHERE id = ?", args: [1] });
if (rows[0]?.["name"] !== "Ann") throw new Error("cold start app read the wrong row");
// Ms since the process began (performance.timeOrigin), then CPU ms used so far (user + system), read by bench/cold-start.ts.
const cpu = process.cpuUsage();
console.log(`COLD ${performance.now()} ${(cpu.user + cpu.system) / 1000}`);
client.close();
