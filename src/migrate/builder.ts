/**
 * The schema builder a migration's `up`, `down` or `change` receives. It only
 * records operations (./operations.ts); nothing runs until the runner compiles
 * them for the backend's dialect, so the same migration file serves SQLite,
 * libSQL, D1 and PostgreSQL, and `--dry-run` can print it.
 */
import type { ColumnType, ReferentialAction } from "../schema/column.ts";
import { columnMethods, columnSchema, type ColumnMethods, type MigrationColumnOptions } from "./columns.ts";
import { MigrationError } from "./errors.ts";
import { defaultName, type CheckDefinition, type ColumnChange, type ForeignKeyDefinition, type IndexDefinition, type Operation } from "./operations.ts";
import type { ColumnSchema } from "../schema/column.ts";
import { rawQuery } from "../query/raw.ts";

/** The optional parts of a foreign key added by `foreignKey` or `addForeignKey`: its name and referential actions. */
export interface ForeignKeyOptions {
  /** The constraint's name; `fk_<table>_<columns>` when not given. */
  readonly name?: string;
  /** What deleting a referenced row does to the rows that reference it (the database's default, NO ACTION, when absent). */
  readonly onDelete?: ReferentialAction;
  /** What changing a referenced key does to the rows that reference it (NO ACTION when absent). */
  readonly onUpdate?: ReferentialAction;
}

/** The optional parts of an index made by `index`, `unique` or `createIndex`. */
export interface IndexOptions {
  /** The index's name; `idx_<table>_<columns>` (`uq_` when unique) when not given. */
  readonly name?: string;
  /** True for a UNIQUE index. Default false. */
  readonly unique?: boolean;
}

/** Inside `createTable(name, (t) => ...)`: columns by type, plus table constraints. */
export interface TableBuilder extends ColumnMethods<TableBuilder> {
  /** `foreignKey(["author_id"], "users", ["id"], { onDelete: "cascade" })`. */
  foreignKey(columns: string | readonly string[], table: string, referenced?: string | readonly string[], options?: ForeignKeyOptions): TableBuilder;
  /** A named CHECK constraint over SQL text the migration's author writes (never user input). */
  check(name: string, expression: string): TableBuilder;
  /** An index over one or more columns, created right after the table. */
  index(columns: string | readonly string[], options?: IndexOptions): TableBuilder;
  /** A UNIQUE index over one or more columns (`uq_<table>_<columns>` unless named). */
  unique(columns: string | readonly string[], options?: { name?: string }): TableBuilder;
  /** A primary key over several columns (a single key is a column option). */
  primaryKey(columns: readonly string[]): TableBuilder;
}

const list = (value: string | readonly string[]): readonly string[] => (typeof value === "string" ? [value] : value);

function foreignKeyOf(table: string, columns: readonly string[], target: string, referenced: readonly string[], options: ForeignKeyOptions = {}): ForeignKeyDefinition {
  return {
    name: options.name ?? defaultName("fk", table, columns),
    columns,
    references: { table: target, columns: referenced },
    ...(options.onDelete && { onDelete: options.onDelete }),
    ...(options.onUpdate && { onUpdate: options.onUpdate }),
  };
}

/** A column's own `references` and `index` options, as table constraints. */
function columnConstraints(table: string, column: ColumnSchema, options: MigrationColumnOptions): { fk?: ForeignKeyDefinition; index?: IndexDefinition } {
  const out: { fk?: ForeignKeyDefinition; index?: IndexDefinition } = {};
  const ref = options.references;
  if (ref) {
    const [target, col] = typeof ref === "string" ? ref.split(".") : [ref.table, ref.column ?? "id"];
    if (!target) throw new MigrationError(`column ${table}.${column.name}: references must name a table ("users.id")`);
    out.fk = foreignKeyOf(table, [column.name], target, [col ?? "id"], typeof ref === "string" ? {} : ref);
  }
  if (options.index) {
    out.index = { name: typeof options.index === "string" ? options.index : defaultName("idx", table, [column.name]), table, columns: [column.name], unique: false };
  }
  return out;
}

/**
 * What a migration's `up`, `down` or `change` receives: each method records an
 * operation, compiled for the backend's dialect only when the migration runs.
 */
export class SchemaBuilder {
  /** What the migration has asked for so far, in order. */
  readonly operations: Operation[] = [];

  /** Creates a table with the columns and constraints `define` declares on the table builder. */
  createTable(name: string, define: (t: TableBuilder) => void, options: { ifNotExists?: boolean } = {}): this {
    const columns: ColumnSchema[] = [];
    const foreignKeys: ForeignKeyDefinition[] = [];
    const checks: CheckDefinition[] = [];
    const indexes: IndexDefinition[] = [];
    let compositeKey: readonly string[] | undefined;
    const t: TableBuilder = {
      ...columnMethods<TableBuilder>((column, type, opts) => {
        const schema = columnSchema(column, type, opts);
        columns.push(schema);
        const { fk, index } = columnConstraints(name, schema, opts);
        if (fk) foreignKeys.push(fk);
        if (index) indexes.push(index);
        return t;
      }),
      foreignKey(cols, table, referenced = "id", opts) {
        foreignKeys.push(foreignKeyOf(name, list(cols), table, list(referenced), opts));
        return t;
      },
      check(checkName, expression) {
        checks.push({ name: checkName, expression });
        return t;
      },
      index(cols, opts = {}) {
        const c = list(cols);
        indexes.push({ name: opts.name ?? defaultName(opts.unique ? "uq" : "idx", name, c), table: name, columns: c, unique: opts.unique ?? false });
        return t;
      },
      unique(cols, opts = {}) {
        return t.index(cols, { ...opts, unique: true });
      },
      primaryKey(cols) {
        compositeKey = cols;
        return t;
      },
    };
    define(t);
    if (compositeKey) {
      for (const key of compositeKey) {
        const i = columns.findIndex((c) => c.name === key);
        if (i < 0) throw new MigrationError(`table ${name}: primary key column ${key} is not defined`);
        columns[i] = { ...columns[i]!, primaryKey: true };
      }
    }
    if (columns.length === 0) throw new MigrationError(`table ${name} needs at least one column`);
    this.operations.push({ op: "createTable", table: { name, columns, foreignKeys, checks, indexes }, ...(options.ifNotExists && { ifNotExists: true }) });
    return this;
  }

  /** Drops a table; `ifExists` makes a missing table no error. */
  dropTable(name: string, options: { ifExists?: boolean } = {}): this {
    this.operations.push({ op: "dropTable", table: name, ...(options.ifExists && { ifExists: true }) });
    return this;
  }

  /** Renames a table, keeping its rows, indexes and constraints. */
  renameTable(from: string, to: string): this {
    this.operations.push({ op: "renameTable", from, to });
    return this;
  }

  /** `addColumn("users", "age", "integer", { nullable: true })`. */
  addColumn(table: string, name: string, type: ColumnType, options: MigrationColumnOptions = {}): this {
    const column = columnSchema(name, type, options);
    this.operations.push({ op: "addColumn", table, column });
    const { fk, index } = columnConstraints(table, column, options);
    if (fk) this.operations.push({ op: "addForeignKey", table, foreignKey: fk });
    if (index) this.operations.push({ op: "createIndex", index });
    return this;
  }

  /** Removes a column and its data. */
  dropColumn(table: string, name: string): this {
    this.operations.push({ op: "dropColumn", table, column: name });
    return this;
  }

  /** Renames a column, keeping its data. */
  renameColumn(table: string, from: string, to: string): this {
    this.operations.push({ op: "renameColumn", table, from, to });
    return this;
  }

  /** Changes a column's type, nullability or default (`default: null` drops it). */
  alterColumn(table: string, name: string, change: ColumnChange): this {
    this.operations.push({ op: "alterColumn", table, column: name, change });
    return this;
  }

  /** Creates an index over one or more columns of an existing table. */
  createIndex(table: string, columns: string | readonly string[], options: IndexOptions = {}): this {
    const c = list(columns);
    const unique = options.unique ?? false;
    this.operations.push({ op: "createIndex", index: { name: options.name ?? defaultName(unique ? "uq" : "idx", table, c), table, columns: c, unique } });
    return this;
  }

  /** Drops an index by name; `dropIndex("users", ["email"])` derives the default name. */
  dropIndex(table: string, nameOrColumns: string | readonly string[], options: { unique?: boolean } = {}): this {
    const name = typeof nameOrColumns === "string" ? nameOrColumns : defaultName(options.unique ? "uq" : "idx", table, nameOrColumns);
    this.operations.push({ op: "dropIndex", table, name });
    return this;
  }

  /** Adds a foreign key from `columns` to `referenced` (default `id`) of the `target` table. */
  addForeignKey(table: string, columns: string | readonly string[], target: string, referenced: string | readonly string[] = "id", options: ForeignKeyOptions = {}): this {
    this.operations.push({ op: "addForeignKey", table, foreignKey: foreignKeyOf(table, list(columns), target, list(referenced), options) });
    return this;
  }

  /** Drops a foreign key by name; given columns, it derives the default name `fk_<table>_<columns>`. */
  dropForeignKey(table: string, nameOrColumns: string | readonly string[]): this {
    const name = typeof nameOrColumns === "string" ? nameOrColumns : defaultName("fk", table, nameOrColumns);
    this.operations.push({ op: "dropForeignKey", table, name });
    return this;
  }

  /** Adds a named CHECK constraint over SQL text the migration's author writes. */
  addCheck(table: string, name: string, expression: string): this {
    this.operations.push({ op: "addCheck", table, check: { name, expression } });
    return this;
  }

  /** Drops a CHECK constraint by name. */
  dropCheck(table: string, name: string): this {
    this.operations.push({ op: "dropCheck", table, name });
    return this;
  }

  /**
   * SQL written by hand, with parameters: `` schema.sql`UPDATE users SET plan = ${"free"}` ``
   * or `schema.raw("UPDATE users SET plan = ?", ["free"])` (`?` on every dialect).
   */
  sql(strings: TemplateStringsArray, ...values: unknown[]): this {
    if (!Array.isArray((strings as { raw?: unknown }).raw)) throw new MigrationError("schema.sql must be used as a tagged template");
    this.operations.push({ op: "raw", strings: [...strings], params: values });
    return this;
  }

  /** SQL text written in the migration, with `?` placeholders for `params` on every dialect. */
  raw(sql: string, params: readonly unknown[] = []): this {
    if (typeof sql !== "string") throw new MigrationError("schema.raw takes SQL text written in the migration");
    const fragment = rawQuery(sql, params);
    this.operations.push({ op: "raw", strings: fragment.strings, params: fragment.values });
    return this;
  }
}
