import type { PGlite } from "@electric-sql/pglite";

export interface PgliteConfig {
  /** Where PGlite keeps its files (`./pgdata`, `idb://app` in a browser); in memory when left out. */
  readonly dataDir?: string;
  /** An instance the application already made; the backend then neither opens nor closes it. */
  readonly instance?: PGlite;
}
