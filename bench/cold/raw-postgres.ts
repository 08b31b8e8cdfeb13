/** Cold start, postgres.js: import, client, first query. */
import postgres from "postgres";

const sql = postgres(process.env["COLD_URL"]!, { max: 1 });
const [user] = await sql`SELECT * FROM bench_cold_users WHERE id = ${1}`;
if (user?.["name"] !== "Ann") throw new Error("cold start app read the wrong row");
// Ms since the process began (performance.timeOrigin), then CPU ms used so far (user + system), read by bench/cold-start.ts.
const cpu = process.cpuUsage();
console.log(`COLD ${performance.now()} ${(cpu.user + cpu.system) / 1000}`);
await sql.end();
