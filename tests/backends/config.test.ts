/** A backend given a config it cannot use says so with a ConfigurationError, as docs/backends.md promises, before any connection is tried. */
import { describe, expect, it } from "vitest";
import { ActiveRecord, column, ConfigurationError, table } from "../../src/index.ts";
import { D1Backend, type D1Config } from "../../src/backend/d1/index.ts";
import { LibsqlBackend, type LibsqlConfig } from "../../src/backend/libsql/index.ts";
import { PostgresBackend } from "../../src/backend/postgres/index.ts";
import { decoratorMode } from "../support/mode.ts";

describe(`bad backend configs (${decoratorMode})`, () => {
  it("libSQL without a url", () => {
    for (const config of [{}, { url: "" }, undefined, { url: 42 }]) {
      expect(() => new LibsqlBackend(config as unknown as LibsqlConfig)).toThrow(ConfigurationError);
    }
  });

  it("D1 without a binding, or with something that is not one", () => {
    for (const config of [{}, { binding: {} }, { binding: { prepare: () => null } }, undefined]) {
      expect(() => new D1Backend(config as unknown as D1Config)).toThrow(ConfigurationError);
    }
  });

  it("{ primary, replicas } with a backend class that offers no replicas", () => {
    @table("replica_probe")
    class Probe extends ActiveRecord {
      @column.id() id!: number;
    }
    const config = { primary: { url: ":memory:" }, replicas: [{ url: ":memory:" }] } as unknown as LibsqlConfig;
    expect(() => Probe.configure(config, LibsqlBackend)).toThrow(/LibsqlBackend has no read replicas/);
  });

  it("PostgreSQL with a statementCacheSize that is not a count", () => {
    for (const size of [-1, 1.5, Number.NaN]) {
      expect(() => new PostgresBackend({ url: "postgres://u@127.0.0.1:1/db", statementCacheSize: size })).toThrow(ConfigurationError);
    }
  });
});
