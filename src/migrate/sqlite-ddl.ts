/**
 * SQLite's DDL: what its ALTER TABLE cannot do (change a column, drop one
 * that an index or key uses, add or drop a constraint) becomes a rebuild, as
 * SQLite's own documentation prescribes: create the new table, copy the rows,
 * drop the old, rename the new, recreate indexes and triggers. The runner
 * keeps foreign keys from firing meanwhile (./foreign-keys.ts) and checks
 * them before commit.
 */
import type { CompiledQuery } from "../query/ast.ts";
import { literal } from "../dialect/compiler.ts";
import type { ColumnChange, Operation } from "./operations.ts";
import { ddl, DdlCompiler, sizes, type SchemaReader } from "./ddl.ts";
import { MigrationError } from "./errors.ts";
import { columnNameOf, constraintNameOf, isConstraint, splitTableBody, type SqliteTable } from "./sqlite-table.ts";

const REBUILT = new Set<Operation["op"]>(["alterColumn", "dropColumn", "addForeignKey", "dropForeignKey", "addCheck", "dropCheck"]);

export class SqliteDdlCompiler extends DdlCompiler {
  /**
   * False where foreign keys cannot be switched off around the rebuild (D1,
   * which ignores `foreign_keys = OFF`): dropping the old table there runs
   * every ON DELETE action of the tables that reference it, and
   * `defer_foreign_keys` does not stop actions, only checks. Such a rebuild
   * is refused rather than allowed to delete or null child rows.
   */
  foreignKeysHeldOff = true;

  /** Tables whose definition the statements compiled so far change: only a reader that sees its own writes may read them again. */
  private readonly touched = new Set<string>();
  /** Tables this migration rebuilt, as rebuilt: a later rebuild of the same table starts from here. */
  private readonly rebuilt = new Map<string, SqliteTable>();

  override async compile(operation: Operation, reader: SchemaReader): Promise<CompiledQuery[]> {
    if (!REBUILT.has(operation.op)) {
      for (const t of tablesOf(operation)) {
        this.touched.add(t);
        this.rebuilt.delete(t);
      }
      return super.compile(operation, reader);
    }
    const name = (operation as { table: string }).table;
    const table = await this.table(name, reader);
    // SQLite drops a column in place when nothing (key, index, constraint, trigger) uses it: no rebuild needed.
    if (operation.op === "dropColumn" && droppableInPlace(table, operation.column)) {
      this.touched.add(name);
      this.rebuilt.delete(name);
      return super.compile(operation, reader);
    }
    if (!this.foreignKeysHeldOff) await this.refuseIfActionsWouldFire(name, reader);
    const { parts, copy } = await this.change(table, operation, reader);
    const next: SqliteTable = { name, parts, extras: table.extras.filter((e) => !copy.dropped || !mentions(e.sql, copy.dropped)) };
    this.rebuilt.set(name, next);
    return this.rebuild(next, copy.columns);
  }

  /** The table as the database (or this migration's earlier rebuild) has it. */
  private async table(name: string, reader: SchemaReader): Promise<SqliteTable> {
    const known = this.rebuilt.get(name);
    if (known) return known;
    if (!reader.seesOwnWrites && this.touched.has(name)) {
      throw new MigrationError(
        `table ${name} was changed earlier in this migration and must now be rebuilt, but this database runs a migration as one batch ` +
          "and cannot read the changed table first: put this change in a migration of its own",
      );
    }
    const [row] = await reader.read({ sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", params: [name], kind: "read" });
    if (!row) throw new MigrationError(`table ${name} does not exist`);
    const extras = await reader.read({
      sql: "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND tbl_name = ? AND sql IS NOT NULL ORDER BY type, name",
      params: [name],
      kind: "read",
    });
    return { name, parts: splitTableBody(String(row.sql)), extras: extras.map((e) => ({ type: String(e.type), name: String(e.name), sql: String(e.sql) })) };
  }

  /** The new parts and which columns the copy carries. */
  private async change(table: SqliteTable, operation: Operation, reader: SchemaReader): Promise<{ parts: string[]; copy: { columns: string[]; dropped?: string } }> {
    const columns = table.parts.filter((p) => !isConstraint(p)).map(columnNameOf);
    const parts = [...table.parts];
    const without = (name: string) => {
      const i = parts.findIndex((p) => isConstraint(p) && constraintNameOf(p) === name);
      if (i < 0) throw new MigrationError(`table ${table.name} has no constraint named ${name}`);
      parts.splice(i, 1);
    };
    switch (operation.op) {
      case "addForeignKey":
        parts.push(this.foreignKey(operation.foreignKey));
        return { parts, copy: { columns } };
      case "addCheck":
        parts.push(this.check(operation.check));
        return { parts, copy: { columns } };
      case "dropForeignKey":
      case "dropCheck":
        without(operation.name);
        return { parts, copy: { columns } };
      case "dropColumn": {
        const column = operation.column;
        if (!columns.includes(column)) throw new MigrationError(`table ${table.name} has no column ${column}`);
        const kept = parts.filter((p) => (isConstraint(p) ? !mentions(p, column) : columnNameOf(p) !== column));
        return { parts: kept, copy: { columns: columns.filter((c) => c !== column), dropped: column } };
      }
      case "alterColumn": {
        const i = parts.findIndex((p) => !isConstraint(p) && columnNameOf(p) === operation.column);
        if (i < 0) throw new MigrationError(`table ${table.name} has no column ${operation.column}`);
        parts[i] = await this.alteredColumn(table, parts[i]!, operation.column, operation.change, reader);
        return { parts, copy: { columns } };
      }
      default:
        throw new MigrationError(`operation ${operation.op} needs no rebuild`);
    }
  }

  /** The column's definition with the change applied; clauses it does not change (REFERENCES, CHECK, COLLATE) are kept. */
  private async alteredColumn(table: SqliteTable, part: string, column: string, change: ColumnChange, reader: SchemaReader): Promise<string> {
    const info = this.rebuilt.has(table.name) ? undefined : (await reader.read({ sql: `PRAGMA table_info(${this.q(table.name)})`, params: [], kind: "read" })).find((r) => r.name === column);
    if (/\bprimary\s+key\b/i.test(part) || (info && Number(info.pk) > 0)) throw new MigrationError(`cannot alter primary key column ${table.name}.${column}: create a new table instead`);
    const after = part.trim().slice(this.q(column).length);
    const type = change.type
      ? this.dialect.types.columnType({ name: column, type: change.type, primaryKey: false, autoIncrement: false, nullable: true, unique: false, ...sizes(change) })
      : info ? String(info.type) : (/^\s*([A-Za-z]+(\s*\([^)]*\))?)/.exec(after)?.[1] ?? "");
    const notNull = change.nullable !== undefined ? !change.nullable : info ? Number(info.notnull) === 1 : /\bnot\s+null\b/i.test(after);
    const oldDefault = info?.dflt_value ?? null;
    const defaultSql = change.default === undefined ? (oldDefault === null ? undefined : String(oldDefault)) : change.default === null ? undefined : literal(change.default);
    const tail = /\b(references|check|collate|unique)\b[\s\S]*$/i.exec(after)?.[0];
    return [this.q(column), type, notNull ? "NOT NULL" : "", defaultSql !== undefined ? `DEFAULT ${defaultSql}` : "", tail ?? ""].filter(Boolean).join(" ");
  }

  private async refuseIfActionsWouldFire(name: string, reader: SchemaReader): Promise<void> {
    const tables = await reader.read({ sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\'", params: [], kind: "read" });
    for (const { name: child } of tables) {
      const keys = await reader.read({ sql: `PRAGMA foreign_key_list(${this.q(String(child))})`, params: [], kind: "read" });
      const acting = keys.find((k) => k.table === name && /^(cascade|set null|set default)$/i.test(String(k.on_delete)));
      if (acting) {
        throw new MigrationError(
          `rebuilding ${name} would run ON DELETE ${String(acting.on_delete).toUpperCase()} on ${String(child)}.${String(acting.from)}: ` +
            "this database cannot switch foreign keys off (D1 ignores foreign_keys = OFF, and defer_foreign_keys defers checks, not actions), " +
            `so dropping the old ${name} would delete or change child rows. Refused: change ${String(child)}'s key to NO ACTION first, or make this change another way`,
        );
      }
    }
  }

  private rebuild(table: SqliteTable, columns: readonly string[]): CompiledQuery[] {
    const temp = `__edgerecord_rebuild_${table.name}`;
    const list = this.names(columns);
    return [
      ddl(`CREATE TABLE ${this.q(temp)} (${table.parts.join(", ")})`),
      { sql: `INSERT INTO ${this.q(temp)} (${list}) SELECT ${list} FROM ${this.q(table.name)}`, params: [], kind: "insert" },
      ddl(`DROP TABLE ${this.q(table.name)}`),
      ddl(`ALTER TABLE ${this.q(temp)} RENAME TO ${this.q(table.name)}`),
      ...table.extras.map((e) => ddl(e.sql)),
    ];
  }
}

function droppableInPlace(table: SqliteTable, column: string): boolean {
  const part = table.parts.find((p) => !isConstraint(p) && columnNameOf(p) === column);
  if (!part || /\b(primary|unique|references|check)\b/i.test(part)) return false;
  return !table.parts.some((p) => isConstraint(p) && mentions(p, column)) && !table.extras.some((e) => mentions(e.sql, column));
}

/** Whether SQL text names this column (quoted, or as a bare word). */
function mentions(sql: string, column: string): boolean {
  return sql.includes(`"${column.replaceAll('"', '""')}"`) || new RegExp(`\\b${column.replace(/[^\w]/g, "\\$&")}\\b`).test(sql.replace(/'[^']*'/g, ""));
}

function tablesOf(operation: Operation): string[] {
  switch (operation.op) {
    case "createTable":
      return [operation.table.name];
    case "renameTable":
      return [operation.from, operation.to];
    case "createIndex":
      return [operation.index.table];
    case "raw":
      return [];
    default:
      return [operation.table];
  }
}
