/**
 * SQLite's DDL: what its ALTER TABLE cannot do (change a column, drop one
 * that an index or key uses, add or drop a constraint) becomes a rebuild, as
 * SQLite's own documentation prescribes: create the new table, copy the rows,
 * drop the old, rename the new, recreate indexes and triggers. Foreign keys
 * must not act meanwhile: libSQL switches them off around the transaction
 * (./apply.ts); where that is impossible (D1) the rows that dropping the old
 * table could reach are set aside and put back (./sqlite-keep.ts).
 */
import type { CompiledQuery } from "../query/ast.ts";
import { literal } from "../dialect/compiler.ts";
import type { ColumnChange, Operation } from "./operations.ts";
import { ddl, DdlCompiler, sizes, type SchemaReader } from "./ddl.ts";
import { MigrationError } from "./errors.ts";
import { columnNameOf, constraintNameOf, isConstraint, splitTableBody, type SqliteTable } from "./sqlite-table.ts";
import { keepRows, keepTableOf, reachableFrom, referencesOf, type KeptRows } from "./sqlite-keep.ts";

const REBUILT = new Set<Operation["op"]>(["alterColumn", "dropColumn", "addForeignKey", "dropForeignKey", "addCheck", "dropCheck"]);

/**
 * How foreign keys behave while a SQLite-family migration runs:
 * - "off": switched off around the transaction (libSQL): a rebuild fires nothing;
 * - "deferred": one atomic batch led by `PRAGMA defer_foreign_keys = ON` (D1):
 *   checks wait for the end, actions do not, so a rebuilt table's referencing
 *   rows are set aside and put back (./sqlite-keep.ts);
 * - "enforced": statement by statement (`transaction = false`): nothing can be
 *   set aside atomically, so a rebuild that would fire an action is refused.
 */
export type ForeignKeyMode = "off" | "deferred" | "enforced";

export class SqliteDdlCompiler extends DdlCompiler {
  /** How foreign keys behave while the statements run; set by the runner (./apply.ts) from the backend and the migration. */
  foreignKeys: ForeignKeyMode = "off";

  /** Tables whose definition the statements compiled so far change: only a reader that sees its own writes may read them again. */
  private readonly touched = new Set<string>();
  /** Tables this migration rebuilt, as rebuilt: a later rebuild of the same table starts from here. */
  private readonly rebuilt = new Map<string, SqliteTable>();
  /** Referenced table -> the tables that got a foreign key to it earlier in this migration (lower case): a reader that does not see its own writes cannot know them. */
  private readonly newlyReferenced = new Map<string, Set<string>>();

  override async compile(operation: Operation, reader: SchemaReader): Promise<CompiledQuery[]> {
    // Who references: the operation's table ("" for raw SQL, which never counts as the table being rebuilt).
    const child = tablesOf(operation).at(-1) ?? "";
    for (const t of referencedBy(operation)) this.newlyReferenced.set(t.toLowerCase(), (this.newlyReferenced.get(t.toLowerCase()) ?? new Set()).add(child.toLowerCase()));
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
    if (this.foreignKeys === "enforced") await this.refuseIfActionsWouldFire(name, reader);
    const { parts, copy } = await this.change(table, operation, reader);
    const next: SqliteTable = { name, parts, extras: table.extras.filter((e) => !copy.dropped || !mentions(e.sql, copy.dropped)) };
    if (this.foreignKeys !== "deferred") {
      this.rebuilt.set(name, next);
      return this.rebuild(next, copy.columns);
    }
    const kept = await keepRows(await this.reachable(name, reader), reader, (n) => this.q(n));
    this.rebuilt.set(name, next);
    return this.rebuildAside(table, next, copy.columns, kept);
  }

  /** The tables whose rows dropping `name` could reach, refused when this migration changed them before (a batch reads them as they were). */
  private async reachable(name: string, reader: SchemaReader): Promise<string[]> {
    const tables = reachableFrom(name, await referencesOf(reader, (n) => this.q(n)));
    if (reader.seesOwnWrites) return tables;
    const reached = new Set([name, ...tables].map((t) => t.toLowerCase()));
    const changed = [...this.touched, ...this.rebuilt.keys()].find((t) => t !== name && reached.has(t.toLowerCase()));
    // A table's own new reference to itself is in its rebuilt definition, and its rows are set aside anyway.
    const referenced = [...this.newlyReferenced].find(([t, children]) => reached.has(t) && [...children].some((c) => c !== name.toLowerCase()))?.[0];
    if (changed !== undefined || referenced !== undefined) {
      throw new MigrationError(
        `rebuilding ${name} sets aside the rows of the tables that reference it, but ${changed !== undefined ? `${changed} was changed` : `a foreign key to ${referenced} was added`} ` +
          "earlier in this migration and this database runs a migration as one batch, which reads the schema as it was before: put this change in a migration of its own",
      );
    }
    return tables;
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
            "this migration runs without a transaction (transaction = false), where foreign keys stay on and the child rows cannot be set aside atomically, " +
            `so dropping the old ${name} would delete or change them. Refused: run this change in a migration with a transaction`,
        );
      }
    }
  }

  /**
   * The rebuild with foreign keys deferred, in this order: the table's rows
   * are copied aside first, before anything can change them (deleting the
   * kept rows may run this table's own ON DELETE SET NULL toward them), and
   * its triggers dropped; the kept tables are emptied; the old table is
   * dropped (no row references it now) and the new one renamed; then the rows
   * go into it. Copied straight into the new table, a row referencing its own
   * table (manager_id -> users) would point at the old one, and dropping that
   * would cascade into the new table or orphan the row for good.
   */
  private rebuildAside(before: SqliteTable, table: SqliteTable, columns: readonly string[], kept: KeptRows): CompiledQuery[] {
    const temp = `__edgerecord_rebuild_${table.name}`;
    const keep = keepTableOf(table.name);
    const list = this.names(columns);
    return [
      ddl(`CREATE TABLE ${this.q(temp)} (${table.parts.join(", ")})`),
      ddl(`CREATE TABLE ${this.q(keep)} AS SELECT ${list} FROM ${this.q(table.name)}`),
      ...before.extras.filter((e) => e.type === "trigger").map((e) => ddl(`DROP TRIGGER ${this.q(e.name)}`)),
      ...kept.before,
      ddl(`DROP TABLE ${this.q(table.name)}`),
      ddl(`ALTER TABLE ${this.q(temp)} RENAME TO ${this.q(table.name)}`),
      { sql: `INSERT INTO ${this.q(table.name)} (${list}) SELECT ${list} FROM ${this.q(keep)}`, params: [], kind: "insert" },
      ddl(`DROP TABLE ${this.q(keep)}`),
      ...kept.after,
      ...table.extras.map((e) => ddl(e.sql)),
    ];
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

/** The tables a foreign key this operation adds references. */
function referencedBy(operation: Operation): string[] {
  switch (operation.op) {
    case "createTable":
      return [...operation.table.foreignKeys.map((f) => f.references.table), ...operation.table.columns.flatMap((c) => (c.references ? [c.references.table] : []))];
    case "addColumn":
      return operation.column.references ? [operation.column.references.table] : [];
    case "addForeignKey":
      return [operation.foreignKey.references.table];
    case "raw":
      // Hand-written DDL may declare references too: `REFERENCES name`, `"name"`, `[name]` or `` `name` ``.
      return [...operation.strings.join(" ").matchAll(/\breferences\s+(?:"((?:[^"]|"")+)"|`([^`]+)`|\[([^\]]+)\]|([\w$]+))/gi)].map((m) => (m[1]?.replaceAll('""', '"') ?? m[2] ?? m[3] ?? m[4])!);
    default:
      return [];
  }
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
