#!/usr/bin/env node
// The `edgerecord` command. Config and migration files are TypeScript: on Node they need a
// loader, so tsx is registered when the project has it (Node 22.6+ can strip types itself).
try {
  const { register } = await import("tsx/esm/api");
  register();
} catch {
  // No tsx: .js/.mjs config and migrations still work.
}
await import("../dist/migrate/node/bin.js");
