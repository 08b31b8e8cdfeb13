/**
 * The SQL compiler shared by every dialect. A dialect subclasses it and
 * overrides only what differs (the placeholder, the catalog query, DDL bits),
 * the way Kysely's SqliteQueryCompiler overrides only its placeholder.
 */
import type {
  Condition,
  CompiledQuery,
  CreateIndexQuery,
  CreateTableQuery,
  DeleteQuery,
  DropIndexQuery,
  DropTableQuery,
  InsertQuery,
  Join,
  OrderItem,
  Query,
  RawFragment,
  RowLock,
  SelectItem,
  SelectQuery,
  TableExistsQuery,
  UpdateQuery,
} from "../query/ast.ts";
import type { DialectCapabilities, IsolationLevel, TypeMapper, ValueMapper } from "./dialect.ts";
import { ConfigurationError } from "../errors.ts";
import { compiledQuery, Emitter, type StatementTemplate } from "./emitter.ts";
import { statementHints } from "./statement-kind.ts";
import { quoteDoubled } from "./sql-text.ts";

export { bindTemplate, Emitter, Slot, type StatementTemplate } from "./emitter.ts";
export { literal, quoteDoubled } from "./sql-text.ts";

/** An `in` condition, as `inList` takes it. */
export type InCondition = Extract<Condition, { kind: "in" }>;

/** Compiles query descriptions to `{ sql, params }`; each dialect overrides only what differs (placeholders, catalog lookups...). */
export abstract class SqlCompiler {
  /** What the dialect can do (RETURNING, savepoints, isolation levels...). */
  abstract readonly capabilities: DialectCapabilities;
  /** Column type to DDL. */
  abstract readonly types: TypeMapper;
  /** Values to and from the database, per column type. */
  abstract readonly values: ValueMapper;

  /** The placeholder for the n-th parameter (1-based). */
  abstract placeholder(index: number): string;

  /** SQL that returns one row when `table` exists, none otherwise. */
  protected abstract tableExists(query: TableExistsQuery, out: Emitter): void;

  /** `"name"` with inner quotes doubled. Uses no `this`, so it can be passed around unbound. */
  quoteIdentifier(name: string): string {
    return quoteDoubled(name);
  }

  /** Compiles a query description to SQL text and parameters in database form. */
  compile(query: Query): CompiledQuery {
    const template = this.compileTemplate(query);
    if (template.slotted) throw new ConfigurationError("compile() got a query with slots: use compileTemplate() and bindTemplate()");
    return compiledQuery(template, template.params);
  }

  /** Compiles a query whose values may be `Slot`s: once per query shape, then `bindTemplate` per call. */
  compileTemplate(query: Query): StatementTemplate {
    const out = new Emitter((index) => this.placeholder(index), this.values);
    const table = (query as { table?: unknown }).table;
    if (typeof table === "string") out.table = table;
    this.statement(query, out);
    return { sql: out.sql, params: out.params, singleRow: query.kind === "select" && query.limit === 1, slotted: out.slotted, ...statementHints(query) };
  }

  /** One method per query kind; the `never` default makes a new kind a compile error here until it is handled. */
  protected statement(query: Query, out: Emitter): void {
    switch (query.kind) {
      case "select":
        return this.select(query, out);
      case "insert":
        return this.insert(query, out);
      case "update":
        return this.update(query, out);
      case "delete":
        return this.delete(query, out);
      case "createTable":
        return this.createTable(query, out);
      case "dropTable":
        return this.dropTable(query, out);
      case "createIndex":
        return this.createIndex(query, out);
      case "dropIndex":
        return this.dropIndex(query, out);
      case "tableExists":
        return this.tableExists(query, out);
      case "raw":
        return this.raw(query, out);
      default:
        throw new ConfigurationError(`cannot compile a query of kind ${JSON.stringify((query satisfies never as { kind?: unknown }).kind)}`);
    }
  }

  /** The statement that begins a transaction with these options. */
  beginTransaction(options: { isolation?: IsolationLevel; readOnly?: boolean }): string {
    const modes: string[] = [];
    if (options.isolation) modes.push(`ISOLATION LEVEL ${options.isolation.toUpperCase()}`);
    if (options.readOnly) modes.push("READ ONLY");
    return modes.length ? `BEGIN ${modes.join(", ")}` : "BEGIN";
  }
  /** The statement that opens a savepoint. */
  savepoint(name: string): string {
    return `SAVEPOINT ${this.quoteIdentifier(name)}`;
  }
  /** The statement that rolls back to a savepoint. */
  rollbackToSavepoint(name: string): string {
    return `ROLLBACK TO SAVEPOINT ${this.quoteIdentifier(name)}`;
  }
  /** The statement that releases a savepoint. */
  releaseSavepoint(name: string): string {
    return `RELEASE SAVEPOINT ${this.quoteIdentifier(name)}`;
  }

  /** Emits `DROP TABLE`. */
  protected dropTable(query: DropTableQuery, out: Emitter): void {
    out.text(`DROP TABLE ${query.ifExists ? "IF EXISTS " : ""}${this.quoteIdentifier(query.table)}`);
  }

  /** Emits `DROP INDEX`. */
  protected dropIndex(query: DropIndexQuery, out: Emitter): void {
    out.text(`DROP INDEX ${query.ifExists ? "IF EXISTS " : ""}${this.quoteIdentifier(query.name)}`);
  }

  /** Quoted names, comma-separated. */
  protected names(names: readonly string[]): string {
    return names.map((name) => this.quoteIdentifier(name)).join(", ");
  }

  /** Emits a `SELECT` with its joins, conditions, grouping, order, limit and locks. */
  protected select(query: SelectQuery, out: Emitter): void {
    const outer = out.defaultTable;
    // With joins, a bare column name could be ambiguous: it means the main table's.
    out.defaultTable = query.joins?.length ? query.table : undefined;
    out.text(query.distinct ? "SELECT DISTINCT " : "SELECT ");
    if (query.columns.length === 0) out.text("*");
    else query.columns.forEach((item, i) => {
      if (i > 0) out.text(", ");
      this.selectItem(item, out);
    });
    out.text(` FROM ${this.quoteIdentifier(query.table)}`);
    for (const j of query.joins ?? []) this.join(j, out);
    if (query.where) this.clause(" WHERE ", query.where, out);
    if (query.groupBy?.length) out.text(` GROUP BY ${query.groupBy.map((c) => this.columnRef(undefined, c, out)).join(", ")}`);
    if (query.having) this.clause(" HAVING ", query.having, out);
    query.orderBy?.forEach((o, i) => {
      out.text(i === 0 ? " ORDER BY " : ", ");
      if ("column" in o) out.text(this.orderItem(o, out));
      else this.raw(o, out);
    });
    this.limitOffset(query.limit, query.offset, out);
    if (query.lock) this.rowLock(query.lock, out);
    out.defaultTable = outer;
  }

  /** ` INNER JOIN "t" ON "t"."c" = "o"."c"` (or LEFT JOIN), plus the join's own condition. */
  protected join(j: Join, out: Emitter): void {
    out.text(` ${j.type === "left" ? "LEFT" : "INNER"} JOIN ${this.quoteIdentifier(j.table)} ON ${this.columnRef(j.table, j.column)} = ${this.columnRef(j.otherTable, j.otherColumn)}`);
    if (j.condition) {
      out.text(" AND ");
      this.condition(j.condition, out, true);
    }
  }

  /** `FOR UPDATE [SKIP LOCKED | NOWAIT]`; a dialect without row locks refuses rather than run the query unlocked. */
  protected rowLock(lock: RowLock, out: Emitter): void {
    if (!this.capabilities.rowLocks) {
      throw new ConfigurationError(`${(this as { name?: string }).name ?? "this dialect"} has no row locks (forUpdate/forShare): the query would run unlocked; use a transaction, which SQLite and D1 run serially`);
    }
    out.text(lock.mode === "update" ? " FOR UPDATE" : " FOR SHARE");
    if (lock.wait === "skipLocked") out.text(" SKIP LOCKED");
    else if (lock.wait === "noWait") out.text(" NOWAIT");
  }

  /** Emits `LIMIT`/`OFFSET`, both bound as parameters. */
  protected limitOffset(limit: number | undefined, offset: number | undefined, out: Emitter): void {
    // SQLite needs a LIMIT before OFFSET; -1 means none there, and PostgreSQL takes ALL.
    if (limit !== undefined || offset !== undefined) out.text(` LIMIT ${limit === undefined ? this.noLimit() : out.bind(limit, "integer")}`);
    if (offset !== undefined) out.text(` OFFSET ${out.bind(offset, "integer")}`);
  }

  /** The LIMIT that means no limit, for an OFFSET alone (`ALL`; SQLite overrides). */
  protected noLimit(): string {
    return "ALL";
  }

  /** `"column"`, or `"table"."column"` when qualified. */
  protected columnRef(table: string | undefined, column: string, out?: Emitter): string {
    const owner = table ?? out?.defaultTable;
    return owner ? `${this.quoteIdentifier(owner)}.${this.quoteIdentifier(column)}` : this.quoteIdentifier(column);
  }

  /** Emits one item of a select list. */
  protected selectItem(item: SelectItem, out: Emitter): void {
    if (item.kind === "raw") return this.raw(item, out);
    if (item.kind === "allColumns") return out.text(`${this.quoteIdentifier(item.table)}.*`);
    if (item.kind === "subquery") {
      out.text(item.exists ? "EXISTS (" : "(");
      this.select(item.query, out);
      out.text(`) AS ${this.quoteIdentifier(item.alias)}`);
      return;
    }
    if (item.kind === "column") {
      out.text(this.columnRef(item.table, item.column, out));
      if (item.alias) out.text(` AS ${this.quoteIdentifier(item.alias)}`);
      return;
    }
    const target = item.column === null ? "*" : this.columnRef(undefined, item.column, out);
    out.text(`${item.fn}(${item.distinct ? "DISTINCT " : ""}${target}) AS ${this.quoteIdentifier(item.alias)}`);
  }

  /** One `ORDER BY` item. */
  protected orderItem(item: OrderItem, out: Emitter): string {
    return `${this.columnRef(item.table, item.column, out)} ${item.direction}`;
  }

  /** Emits ` WHERE ...` or ` HAVING ...`. */
  protected clause(keyword: string, condition: Condition, out: Emitter): void {
    out.text(keyword);
    this.condition(condition, out, false);
  }

  /** Emits a condition tree; `nested` adds parentheses around groups. */
  protected condition(c: Condition, out: Emitter, nested: boolean): void {
    switch (c.kind) {
      case "compare":
        out.text(`${this.columnRef(c.table, c.column, out)} ${c.op} ${out.bind(c.value, c.type, c.column)}`);
        // One escape character on every dialect (SQLite has none by default, PostgreSQL's is this one).
        if (c.op === "LIKE") out.text(" ESCAPE '\\'");
        return;
      case "null":
        out.text(`${this.columnRef(c.table, c.column, out)} IS ${c.negate ? "NOT " : ""}NULL`);
        return;
      case "in":
        this.inList(c, out);
        return;
      case "between":
        out.text(`${this.columnRef(c.table, c.column, out)} BETWEEN ${out.bind(c.low, c.type, c.column)} AND ${out.bind(c.high, c.type, c.column)}`);
        return;
      case "columnsEqual":
        out.text(`${this.columnRef(c.left.table, c.left.column)} = ${this.columnRef(c.right.table, c.right.column)}`);
        return;
      case "inSubquery":
        out.text(`${this.columnRef(undefined, c.column, out)} ${c.negate ? "NOT IN" : "IN"} (`);
        this.select(c.query, out);
        out.text(")");
        return;
      case "not":
        out.text("NOT (");
        this.condition(c.item, out, false);
        out.text(")");
        return;
      case "group": {
        if (c.items.length === 0) {
          out.text(c.op === "AND" ? "1 = 1" : "1 = 0");
          return;
        }
        const wrap = nested && c.items.length > 1;
        if (wrap) out.text("(");
        c.items.forEach((item, i) => {
          if (i > 0) out.text(` ${c.op} `);
          this.condition(item, out, true);
        });
        if (wrap) out.text(")");
        return;
      }
      case "raw":
        out.text("(");
        this.raw(c, out);
        out.text(")");
        return;
    }
  }

  /**
   * `column IN (...)`. This base form binds one placeholder per value, so a
   * dialect overrides it to bind the whole list as one parameter where its
   * values compare faithfully that way (see `capabilities.listParameterTypes`).
   * Here the list is padded, by repeating its last value, to the next power of
   * two: list lengths share a few statement shapes instead of one each.
   */
  protected inList(c: InCondition, out: Emitter): void {
    const { values } = c;
    if (values.length === 0) {
      // An empty list matches nothing (or, negated, everything); `IN ()` is a syntax error.
      out.text(c.negate ? "1 = 1" : "1 = 0");
      return;
    }
    let size = 2 ** Math.ceil(Math.log2(values.length));
    // Near the parameter limit, padding would fail a statement that fits: bind the list as it is.
    if (size > this.capabilities.maxParameters / 2) size = values.length;
    const last = values[values.length - 1];
    const marks: string[] = new Array(size);
    for (let i = 0; i < size; i++) marks[i] = out.bind(i < values.length ? values[i] : last, c.type, c.column);
    out.text(`${this.columnRef(c.table, c.column, out)} ${c.negate ? "NOT IN" : "IN"} (${marks.join(", ")})`);
  }

  /** Emits an application's sql`` fragment, its values bound as parameters. */
  protected raw(fragment: RawFragment, out: Emitter): void {
    out.text(fragment.strings[0]!);
    for (let i = 0; i < fragment.values.length; i++) {
      out.param(fragment.values[i], undefined);
      out.text(fragment.strings[i + 1]!);
    }
  }

  /** Emits an `INSERT` (multi-row, upsert, RETURNING). */
  protected insert(query: InsertQuery, out: Emitter): void {
    out.text(`INSERT INTO ${this.quoteIdentifier(query.table)} `);
    if (query.columns.length === 0) {
      out.text("DEFAULT VALUES");
    } else {
      out.text(`(${this.names(query.columns)}) VALUES `);
      // Bulk inserts carry tens of thousands of values: build the text in pieces, joined once.
      const { types, columns } = query;
      const tuples: string[] = new Array(query.rows.length);
      query.rows.forEach((row, r) => {
        const cells: string[] = new Array(row.length);
        for (let i = 0; i < row.length; i++) cells[i] = out.bind(row[i], types[i], columns[i]);
        tuples[r] = `(${cells.join(", ")})`;
      });
      out.text(tuples.join(", "));
    }
    if (query.onConflict) {
      out.text(` ON CONFLICT (${this.names(query.onConflict.columns)}) DO `);
      if (query.onConflict.update.length === 0) out.text("NOTHING");
      else {
        const sets = query.onConflict.update.map((c) => `${this.quoteIdentifier(c)} = excluded.${this.quoteIdentifier(c)}`);
        out.text(`UPDATE SET ${sets.join(", ")}`);
      }
    }
    this.returning(query.returning, out);
  }

  /** Emits an `UPDATE`. */
  protected update(query: UpdateQuery, out: Emitter): void {
    const sets = query.set.map((a) => {
      const column = this.quoteIdentifier(a.column);
      return a.add ? `${column} = ${column} + ${out.bind(a.value, a.type, a.column)}` : `${column} = ${out.bind(a.value, a.type, a.column)}`;
    });
    out.text(`UPDATE ${this.quoteIdentifier(query.table)} SET ${sets.join(", ")}`);
    if (query.where) this.clause(" WHERE ", query.where, out);
    this.returning(query.returning, out);
  }

  /** Emits a `DELETE`. */
  protected delete(query: DeleteQuery, out: Emitter): void {
    out.text(`DELETE FROM ${this.quoteIdentifier(query.table)}`);
    if (query.where) this.clause(" WHERE ", query.where, out);
  }

  /** Emits ` RETURNING ...` where the dialect has it. */
  protected returning(columns: readonly string[] | undefined, out: Emitter): void {
    if (columns?.length) out.text(` RETURNING ${this.names(columns)}`);
  }

  /** Emits `CREATE TABLE` with its columns, keys and constraints. */
  protected createTable(query: CreateTableQuery, out: Emitter): void {
    const { table } = query;
    const defs = table.columns.map((c) => `${this.quoteIdentifier(c.name)} ${this.types.columnDefinition(c)}`);
    const keys = table.columns.filter((c) => c.primaryKey);
    // A single auto-increment key is declared inline by the type mapper; others need a table constraint.
    if (keys.length > 1 || (keys.length === 1 && !keys[0]!.autoIncrement)) {
      defs.push(`PRIMARY KEY (${this.names(keys.map((k) => k.name))})`);
    }
    for (const c of table.columns) {
      if (!c.references) continue;
      const action = c.references.onDelete ? ` ON DELETE ${c.references.onDelete.toUpperCase()}` : "";
      defs.push(
        `FOREIGN KEY (${this.quoteIdentifier(c.name)}) REFERENCES ${this.quoteIdentifier(c.references.table)} (${this.quoteIdentifier(c.references.column)})${action}`,
      );
    }
    out.text(`CREATE TABLE ${query.ifNotExists ? "IF NOT EXISTS " : ""}${this.quoteIdentifier(table.name)} (${defs.join(", ")})`);
  }

  /** Emits `CREATE INDEX`. */
  protected createIndex(query: CreateIndexQuery, out: Emitter): void {
    out.text(
      `CREATE ${query.unique ? "UNIQUE " : ""}INDEX ${query.ifNotExists ? "IF NOT EXISTS " : ""}${this.quoteIdentifier(query.name)} ON ${this.quoteIdentifier(query.table)} (${this.names(query.columns)})`,
    );
  }
}
