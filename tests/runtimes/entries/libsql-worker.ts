/**
 * A Worker importing `edgerecord/libsql` by its package name, so the
 * `workerd` export condition picks the remote-only entry. It reports what
 * each URL kind does inside workerd: embedded URLs are refused by name, a
 * remote URL goes through @libsql/client's fetch-based web build.
 */
import { ActiveRecord, column, ConnectionError, table } from "edgerecord";
import { LibsqlBackend } from "edgerecord/libsql";

@table("pings")
class Ping extends ActiveRecord {
  @column.id() id!: number;
}

async function attempt(url: string): Promise<{ name: string; message: string }> {
  const backend = new LibsqlBackend({ url });
  Ping.configure(backend);
  try {
    await Ping.count();
    return { name: "none", message: "connected" };
  } catch (error) {
    return { name: error instanceof ConnectionError ? "ConnectionError" : String((error as Error).name), message: String((error as Error).message) };
  } finally {
    await backend.disconnect();
  }
}

export default {
  async fetch(request: Request): Promise<Response> {
    const closedPort = new URL(request.url).searchParams.get("remote")!;
    return Response.json({ memory: await attempt(":memory:"), file: await attempt("file:app.db"), remote: await attempt(closedPort) });
  },
};
