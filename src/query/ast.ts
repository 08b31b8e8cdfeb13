/**
 * The immutable description of a query. It names tables and columns as they
 * are in the database (the model layer has already checked and mapped them),
 * carries every value as a parameter with its column type, and knows no SQL
 * dialect: the dialect compilers turn it into `{ sql, params }`.
 */
import type { ColumnType, TableSchema } from "../schema/column.ts";
import type { SqlFragment } from "./raw.ts";

/** A fragment of SQL written by the application (made only by `sql` and `rawQuery`), its values kept apart as parameters. */
export type RawFragment = SqlFragment;

/** A column of a named table. */
export interface ColumnRef {
  /** The table (or alias) the column belongs to. */
  readonly table: string;
  /** The column name. */
  readonly column: string;
}

/** `LIKE` always compiles with a backslash as its ESCAPE character, on every dialect. */
export type ComparisonOperator = "=" | "<>" | ">" | ">=" | "<" | "<=" | "LIKE";

/** A condition tree: comparisons, IN lists, null checks, BETWEEN, groups and raw fragments. */
export type Condition =
  | {
      readonly kind: "compare";
      /** Qualifies the column with a table name, for joined queries. */
      readonly table?: string;
      readonly column: string;
      readonly op: ComparisonOperator;
      readonly value: unknown;
      readonly type?: ColumnType;
    }
  | {
      readonly kind: "in";
      readonly table?: string;
      readonly column: string;
      readonly values: readonly unknown[];
      readonly negate: boolean;
      readonly type?: ColumnType;
    }
  | {
      readonly kind: "between";
      readonly table?: string;
      readonly column: string;
      readonly low: unknown;
      readonly high: unknown;
      readonly type?: ColumnType;
    }
  | { readonly kind: "null"; readonly table?: string; readonly column: string; readonly negate: boolean }
  | { readonly kind: "group"; readonly op: "AND" | "OR"; readonly items: readonly Condition[] }
  | { readonly kind: "not"; readonly item: Condition }
  /** `"a"."x" = "b"."y"`: two columns, each qualified (correlates a subquery with its outer row). */
  | { readonly kind: "columnsEqual"; readonly left: ColumnRef; readonly right: ColumnRef }
  | {
      /** `column IN (SELECT ...)`: how relation filters are expressed. */
      readonly kind: "inSubquery";
      readonly column: string;
      readonly query: SelectQuery;
      readonly negate: boolean;
    }
  | RawFragment;

/** An aggregate function. */
export type AggregateFunction = "COUNT" | "SUM" | "AVG" | "MIN" | "MAX";

/** One item of a select list: a column, `table.*`, an aggregate or a raw fragment. */
export type SelectItem =
  | { readonly kind: "column"; readonly table?: string; readonly column: string; readonly alias?: string }
  /** `"table".*` */
  | { readonly kind: "allColumns"; readonly table: string }
  | {
      readonly kind: "aggregate";
      readonly fn: AggregateFunction;
      /** null means `*` (only for COUNT). */
      readonly column: string | null;
      readonly distinct?: boolean;
      readonly alias: string;
    }
  /** `(SELECT ...) AS alias`, or `EXISTS (SELECT ...) AS alias`: a correlated value per row (relation counts). */
  | { readonly kind: "subquery"; readonly query: SelectQuery; readonly alias: string; readonly exists?: boolean }
  | RawFragment;

/** One `ORDER BY` item. */
export interface OrderItem {
  /** Qualifies the column with a joined table's name. */
  readonly table?: string;
  /** The column to order by. */
  readonly column: string;
  /** The direction. */
  readonly direction: "ASC" | "DESC";
}

/** One `ORDER BY` entry: a column, or an application's sql`` fragment. */
export type OrderEntry = OrderItem | RawFragment;

/** `INNER JOIN table ON table.column = other.otherColumn` (or `LEFT JOIN`, with an extra condition). */
export interface Join {
  /** `LEFT JOIN` when "left"; an inner join otherwise. */
  readonly type?: "inner" | "left";
  /** More of the ON clause, ANDed (a joined model's soft-delete filter). */
  readonly condition?: Condition;
  /** The joined table. */
  readonly table: string;
  /** The joined table's column. */
  readonly column: string;
  /** The table joined to. */
  readonly otherTable: string;
  /** Its column. */
  readonly otherColumn: string;
}

/** A `SELECT`. */
export interface SelectQuery {
  /** The query kind. */
  readonly kind: "select";
  /** The table selected from. */
  readonly table: string;
  /** Joins, in order. */
  readonly joins?: readonly Join[];
  /** Empty means every column (`*`). */
  readonly columns: readonly SelectItem[];
  /** `SELECT DISTINCT`. */
  readonly distinct?: boolean;
  /** The `WHERE` condition. */
  readonly where?: Condition;
  /** `GROUP BY` columns. */
  readonly groupBy?: readonly string[];
  /** The `HAVING` condition. */
  readonly having?: Condition;
  /** `ORDER BY` items. */
  readonly orderBy?: readonly OrderEntry[];
  /** `LIMIT`. */
  readonly limit?: number;
  /** `OFFSET`. */
  readonly offset?: number;
  /** Row locks (`FOR UPDATE`...). */
  readonly lock?: RowLock;
}

/** An `INSERT` of one or more rows, optionally an upsert. */
export interface InsertQuery {
  /** The query kind. */
  readonly kind: "insert";
  /** The table inserted into. */
  readonly table: string;
  /** The columns, in the order of each row's values. */
  readonly columns: readonly string[];
  /** The type of each column, in the order of `columns`, for value conversion. */
  readonly types: readonly (ColumnType | undefined)[];
  /** The rows, each a value per column. */
  readonly rows: readonly (readonly unknown[])[];
  /** Columns to return (`RETURNING`), where the dialect can. */
  readonly returning?: readonly string[];
  /** Upsert: the conflict target and the columns to overwrite. */
  readonly onConflict?: {
    readonly columns: readonly string[];
    /** Columns to overwrite from the proposed row; empty means do nothing. */
    readonly update: readonly string[];
  };
}

/** One `SET column = value` of an update. */
export interface Assignment {
  /** The column set. */
  readonly column: string;
  /** The value. */
  readonly value: unknown;
  /** The column's type, for value conversion. */
  readonly type?: ColumnType;
  /** `column = column + value` (an atomic counter) instead of `column = value`. */
  readonly add?: boolean;
}

/** Row locks on a select (`FOR UPDATE`...), where `capabilities.rowLocks`. */
export interface RowLock {
  /** `FOR UPDATE` or `FOR SHARE`. */
  readonly mode: "update" | "share";
  /** `SKIP LOCKED` (job queues) or `NOWAIT` (fail at once); default: wait. */
  readonly wait?: "skipLocked" | "noWait";
}

/** An `UPDATE`. */
export interface UpdateQuery {
  /** The query kind. */
  readonly kind: "update";
  /** The table updated. */
  readonly table: string;
  /** The assignments. */
  readonly set: readonly Assignment[];
  /** The `WHERE` condition. */
  readonly where?: Condition;
  /** Columns to return (`RETURNING`), where the dialect can. */
  readonly returning?: readonly string[];
}

/** A `DELETE`. */
export interface DeleteQuery {
  /** The query kind. */
  readonly kind: "delete";
  /** The table deleted from. */
  readonly table: string;
  /** The `WHERE` condition. */
  readonly where?: Condition;
}

/** A `CREATE TABLE`. */
export interface CreateTableQuery {
  /** The query kind. */
  readonly kind: "createTable";
  /** The table's columns and indexes. */
  readonly table: TableSchema;
  /** `IF NOT EXISTS`. */
  readonly ifNotExists: boolean;
}

/** A `DROP TABLE`. */
export interface DropTableQuery {
  /** The query kind. */
  readonly kind: "dropTable";
  /** The table dropped. */
  readonly table: string;
  /** `IF EXISTS`. */
  readonly ifExists: boolean;
}

/** A `CREATE INDEX`. */
export interface CreateIndexQuery {
  /** The query kind. */
  readonly kind: "createIndex";
  /** The table indexed. */
  readonly table: string;
  /** The index name. */
  readonly name: string;
  /** The indexed columns, in order. */
  readonly columns: readonly string[];
  /** `CREATE UNIQUE INDEX`. */
  readonly unique: boolean;
  /** `IF NOT EXISTS`. */
  readonly ifNotExists: boolean;
}

/** A `DROP INDEX`. */
export interface DropIndexQuery {
  /** The query kind. */
  readonly kind: "dropIndex";
  /** The index dropped. */
  readonly name: string;
  /** `IF EXISTS`. */
  readonly ifExists: boolean;
}

/** Whether a table exists: each dialect asks its catalog. */
export interface TableExistsQuery {
  /** The query kind. */
  readonly kind: "tableExists";
  /** The table looked for. */
  readonly table: string;
}

/** Every query description a dialect compiles. */
export type Query =
  | SelectQuery
  | InsertQuery
  | UpdateQuery
  | DeleteQuery
  | CreateTableQuery
  | DropTableQuery
  | CreateIndexQuery
  | DropIndexQuery
  | TableExistsQuery
  | RawFragment;

/**
 * What a compiled statement does, as the compiler knows it: `read` (a SELECT,
 * a catalog lookup), `insert` (upserts included), `update`, `delete`, or
 * `schema` (CREATE/DROP).
 */
export type StatementKind = "read" | "insert" | "update" | "delete" | "schema";

/** A statement ready for a backend: SQL text and its bound parameters, already in database form. */
export interface CompiledQuery {
  /** The SQL text. */
  readonly sql: string;
  /** The bound parameters, in database form. */
  readonly params: readonly unknown[];
  /**
   * What the statement does, set by the compiler so that a backend need not
   * read it back out of the SQL text. Absent on SQL the application wrote
   * (sql``, `Model.raw`) and on statements a backend builds itself: only
   * there may a backend look at the text (see backend/statement-kind.ts).
   */
  readonly kind?: StatementKind;
  /** A write with `RETURNING`: it hands back rows, which are the rows it changed. Set by the compiler with `kind`. */
  readonly returning?: boolean;
  /**
   * The statement can return at most one row (a SELECT with LIMIT 1): a
   * backend may read just that row, which some drivers do faster. A hint only.
   */
  readonly singleRow?: boolean;
  /**
   * The caller can take rows as arrays (`QueryResult.values`), which some
   * drivers build faster than one object per row. A hint only: a backend
   * that ignores it returns `rows` as usual.
   */
  readonly arrayRows?: boolean;
}
