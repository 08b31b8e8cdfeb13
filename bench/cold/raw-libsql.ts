/** Cold start, the raw driver EdgeRecord uses for `:memory:` (native `libsql`): the same four steps. */
import Database from "libsql";

const db = new Database(":memory:");
db.exec("CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL)");
db.prepare("INSERT INTO users (name) VALUES (?)").run(["Ann"]);
const user = db.prepare("SELECT * FROM users WHERE id = ? LIMIT 1").get([1]) as { name: string } | undefined;
if (user?.name !== "Ann") throw new Error("cold start app read the wrong row");
console.log(`COLD ${performance.now()}`);
db.close();
