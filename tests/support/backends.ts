/** The real databases the model-level suites run against. */
import type { Backend } from "../../src/index.ts";
import { openLibsql } from "./libsql.ts";

export interface BackendFixture {
  readonly name: string;
  open(): Promise<{ backend: Backend; close(): Promise<void> }>;
}

export const BACKENDS: BackendFixture[] = [
  {
    name: "libsql",
    async open() {
      const db = openLibsql("file");
      return { backend: db.backend, close: () => db.close() };
    },
  },
];
