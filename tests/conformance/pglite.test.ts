import { afterAll, beforeAll, describe, it } from "vitest";
import { PgliteBackend } from "../../examples/pglite-backend/index.ts";
import { runBackendConformance } from "../../src/testing/index.ts";
import { decoratorMode } from "../support/mode.ts";

// The example backend written from docs/backends.md: it must pass what the built-in ones pass.
runBackendConformance({
  describe,
  it,
  beforeAll,
  afterAll,
  name: `examples/pglite-backend (${decoratorMode})`,
  makeBackend: () => new PgliteBackend(),
});
