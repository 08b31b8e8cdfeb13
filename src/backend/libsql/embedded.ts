/**
 * The libSQL backend with the native engine for embedded databases: what
 * `edgerecord/libsql` gives Node, Deno and Bun. Kept apart from ./backend.ts
 * so that edge bundles (./edge.ts) never reach the `libsql` addon import,
 * which a Worker bundler cannot resolve (it needs fs, path, child_process).
 */
import { LibsqlBackend as EdgeLibsqlBackend } from "./backend.ts";
import type { LibsqlConfig } from "./config.ts";
import { NativeConnection } from "./native.ts";

export class LibsqlBackend extends EdgeLibsqlBackend {
  protected override openEmbedded(config: LibsqlConfig): Promise<NativeConnection> {
    return NativeConnection.open(config);
  }
}
