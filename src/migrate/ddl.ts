/**
 * Operations -> DDL statements for one dialect. The base class speaks the
 * standard `ALTER TABLE` that PostgreSQL runs; ./sqlite-ddl.ts overrides only
 * what SQLite's ALTER TABLE cannot do (it rebuilds the table instead). Which
 * one a backend gets is decided by a capability flag (`alterColumn`), not by
 * the dialect's name.
 */
import type { CompiledQuery } from "../query/ast.ts";
import { SqlFragment } from "../query/raw.ts";
import type { Dialect } from "../dialect/dialect.ts";
import { literal } from "../dialect/compiler.ts";
import type { ColumnSchema } from "../schema/column.ts";
import type { CheckDefinition, ColumnChange, ForeignKeyDefinition, IndexDefinition, Operation, TableDefinition } from "./operations.ts";

/** Reads the live schema where a dialect needs it to compile (SQLite rebuilds). */
export interface SchemaReader {
  /** Runs a catalog query (`sqlite_master`, `PRAGMA ...`) and returns its rows. */
  read(query: CompiledQuery): Promise<readonly Record<string, unknown>[]>;
  /**
   * False where the statements compiled so far have not run yet when the next
   * read happens (D1, where a migration is one batch): a read then sees the
   * schema as it was before the migration.
   */
  readonly seesOwnWrites: boolean;
}

const ddl = (sql: string): CompiledQuery => ({ sql, params: [], kind: "schema" });

/**
 * Compiles migration operations into DDL statements for one dialect, in the
 * standard ALTER TABLE that PostgreSQL runs; `ddlCompilerFor` picks the SQLite
 * variant where a dialect cannot alter a column.
 */
export class DdlCompiler {
  /** Compiles for `dialect`: its identifier quoting, column types and placeholders. */
  constructor(readonly dialect: Dialect) {}

  /**
   * The name quoted as an identifier of the dialect.
   * @internal for the SQLite subclass
   */
  protected q(name: string): string {
    return this.dialect.quoteIdentifier(name);
  }

  /** The statements for one operation, in order. */
  async compile(operation: Operation, _reader: SchemaReader): Promise<CompiledQuery[]> {
    switch (operation.op) {
      case "createTable":
        return this.createTable(operation.table, operation.ifNotExists ?? false);
      case "dropTable":
        return [ddl(`DROP TABLE ${operation.ifExists ? "IF EXISTS " : ""}${this.q(operation.table)}`)];
      case "renameTable":
        return [ddl(`ALTER TABLE ${this.q(operation.from)} RENAME TO ${this.q(operation.to)}`)];
      case "addColumn":
        return [ddl(`ALTER TABLE ${this.q(operation.table)} ADD COLUMN ${this.columnDefinition(operation.column)}`)];
      case "dropColumn":
        return [ddl(`ALTER TABLE ${this.q(operation.table)} DROP COLUMN ${this.q(operation.column)}`)];
      case "renameColumn":
        return [ddl(`ALTER TABLE ${this.q(operation.table)} RENAME COLUMN ${this.q(operation.from)} TO ${this.q(operation.to)}`)];
      case "alterColumn":
        return this.alterColumn(operation.table, operation.column, operation.change);
      case "createIndex":
        return [this.createIndex(operation.index)];
      case "dropIndex":
        return [ddl(`DROP INDEX ${this.q(operation.name)}`)];
      case "addForeignKey":
        return [ddl(`ALTER TABLE ${this.q(operation.table)} ADD ${this.foreignKey(operation.foreignKey)}`)];
      case "addCheck":
        return [ddl(`ALTER TABLE ${this.q(operation.table)} ADD ${this.check(operation.check)}`)];
      case "dropForeignKey":
      case "dropCheck":
        return [ddl(`ALTER TABLE ${this.q(operation.table)} DROP CONSTRAINT ${this.q(operation.name)}`)];
      case "raw":
        return [this.dialect.compile(new SqlFragment(operation.strings, operation.params))];
      default:
        throw new Error(`unknown migration operation ${JSON.stringify((operation satisfies never as { op?: unknown }).op)}`);
    }
  }

  /** A column's definition inside CREATE TABLE or ADD COLUMN: quoted name, type and constraints. */
  columnDefinition(column: ColumnSchema): string {
    return `${this.q(column.name)} ${this.dialect.types.columnDefinition(column)}`;
  }

  /** CREATE TABLE with its keys, foreign keys and checks, followed by one CREATE INDEX per index. */
  createTable(table: TableDefinition, ifNotExists: boolean): CompiledQuery[] {
    const parts = table.columns.map((c) => this.columnDefinition(c));
    const keys = table.columns.filter((c) => c.primaryKey);
    // A single auto-increment key is declared inline by the type mapper; others need a table constraint.
    if (keys.length > 1 || (keys.length === 1 && !keys[0]!.autoIncrement)) parts.push(`PRIMARY KEY (${this.names(keys.map((k) => k.name))})`);
    for (const fk of table.foreignKeys) parts.push(this.foreignKey(fk));
    for (const check of table.checks) parts.push(this.check(check));
    const create = ddl(`CREATE TABLE ${ifNotExists ? "IF NOT EXISTS " : ""}${this.q(table.name)} (${parts.join(", ")})`);
    return [create, ...table.indexes.map((index) => this.createIndex(index))];
  }

  /** The CREATE [UNIQUE] INDEX statement for an index. */
  createIndex(index: IndexDefinition): CompiledQuery {
    return ddl(`CREATE ${index.unique ? "UNIQUE " : ""}INDEX ${this.q(index.name)} ON ${this.q(index.table)} (${this.names(index.columns)})`);
  }

  /** A foreign key as a table constraint clause (`CONSTRAINT ... FOREIGN KEY ... REFERENCES ...`). */
  foreignKey(fk: ForeignKeyDefinition): string {
    const actions = `${fk.onDelete ? ` ON DELETE ${fk.onDelete.toUpperCase()}` : ""}${fk.onUpdate ? ` ON UPDATE ${fk.onUpdate.toUpperCase()}` : ""}`;
    return `CONSTRAINT ${this.q(fk.name)} FOREIGN KEY (${this.names(fk.columns)}) REFERENCES ${this.q(fk.references.table)} (${this.names(fk.references.columns)})${actions}`;
  }

  /** A CHECK as a table constraint clause (`CONSTRAINT ... CHECK (...)`). */
  check(check: CheckDefinition): string {
    return `CONSTRAINT ${this.q(check.name)} CHECK (${check.expression})`;
  }

  /**
   * A default as DDL text: "now" by the column type's clock, else a constant.
   * @internal a seam for dialect-specific subclasses
   */
  protected defaultText(value: unknown): string {
    return literal(value);
  }

  /**
   * Standard ALTER COLUMN clauses, one ALTER TABLE for the lot (atomic on PostgreSQL).
   * @internal a seam for dialect-specific subclasses
   */
  protected async alterColumn(table: string, column: string, change: ColumnChange): Promise<CompiledQuery[]> {
    const c = this.q(column);
    const clauses: string[] = [];
    if (change.type) {
      const type = this.dialect.types.columnType({ name: column, type: change.type, primaryKey: false, autoIncrement: false, nullable: true, unique: false, ...sizes(change) });
      clauses.push(`ALTER COLUMN ${c} TYPE ${type} USING ${c}::${type}`);
    }
    if (change.nullable !== undefined) clauses.push(`ALTER COLUMN ${c} ${change.nullable ? "DROP" : "SET"} NOT NULL`);
    if (change.default !== undefined) clauses.push(change.default === null ? `ALTER COLUMN ${c} DROP DEFAULT` : `ALTER COLUMN ${c} SET DEFAULT ${this.defaultText(change.default)}`);
    return clauses.length ? [ddl(`ALTER TABLE ${this.q(table)} ${clauses.join(", ")}`)] : [];
  }

  /**
   * The names quoted as identifiers, comma-separated.
   * @internal for the SQLite subclass
   */
  protected names(names: readonly string[]): string {
    return names.map((n) => this.q(n)).join(", ");
  }
}

export function sizes(change: ColumnChange): Partial<ColumnSchema> {
  return {
    ...(change.length !== undefined && { length: change.length }),
    ...(change.precision !== undefined && { precision: change.precision }),
    ...(change.scale !== undefined && { scale: change.scale }),
  };
}

export { ddl };
