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

/** `LIKE` always compiles with a backslash as its ESCAPE character, on every dialect. */
export type ComparisonOperator = "=" | "<>" | ">" | ">=" | "<" | "<=" | "LIKE";

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
      readonly column: string;
      readonly low: unknown;
      readonly high: unknown;
      readonly type?: ColumnType;
    }
  | { readonly kind: "null"; readonly column: string; readonly negate: boolean }
  | { readonly kind: "group"; readonly op: "AND" | "OR"; readonly items: readonly Condition[] }
  | { readonly kind: "not"; readonly item: Condition }
  | {
      /** `column IN (SELECT ...)`: how relation filters are expressed. */
      readonly kind: "inSubquery";
      readonly column: string;
      readonly query: SelectQuery;
      readonly negate: boolean;
    }
  | RawFragment;

export type AggregateFunction = "COUNT" | "SUM" | "AVG" | "MIN" | "MAX";

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
  | RawFragment;

export interface OrderItem {
  readonly column: string;
  readonly direction: "ASC" | "DESC";
}

/** `INNER JOIN table ON table.column = other.otherColumn`. */
export interface Join {
  readonly table: string;
  readonly column: string;
  readonly otherTable: string;
  readonly otherColumn: string;
}

export interface SelectQuery {
  readonly kind: "select";
  readonly table: string;
  readonly joins?: readonly Join[];
  /** Empty means every column (`*`). */
  readonly columns: readonly SelectItem[];
  readonly distinct?: boolean;
  readonly where?: Condition;
  readonly groupBy?: readonly string[];
  readonly having?: Condition;
  readonly orderBy?: readonly OrderItem[];
  readonly limit?: number;
  readonly offset?: number;
  readonly lock?: RowLock;
}

export interface InsertQuery {
  readonly kind: "insert";
  readonly table: string;
  readonly columns: readonly string[];
  /** The type of each column, in the order of `columns`, for value conversion. */
  readonly types: readonly (ColumnType | undefined)[];
  readonly rows: readonly (readonly unknown[])[];
  /** Columns to return (`RETURNING`), where the dialect can. */
  readonly returning?: readonly string[];
  readonly onConflict?: {
    readonly columns: readonly string[];
    /** Columns to overwrite from the proposed row; empty means do nothing. */
    readonly update: readonly string[];
  };
}

export interface Assignment {
  readonly column: string;
  readonly value: unknown;
  readonly type?: ColumnType;
  /** `column = column + value` (an atomic counter) instead of `column = value`. */
  readonly add?: boolean;
}

/** Row locks on a select (`FOR UPDATE`...), where `capabilities.rowLocks`. */
export interface RowLock {
  readonly mode: "update" | "share";
  /** `SKIP LOCKED` (job queues) or `NOWAIT` (fail at once); default: wait. */
  readonly wait?: "skipLocked" | "noWait";
}

export interface UpdateQuery {
  readonly kind: "update";
  readonly table: string;
  readonly set: readonly Assignment[];
  readonly where?: Condition;
  readonly returning?: readonly string[];
}

export interface DeleteQuery {
  readonly kind: "delete";
  readonly table: string;
  readonly where?: Condition;
}

export interface CreateTableQuery {
  readonly kind: "createTable";
  readonly table: TableSchema;
  readonly ifNotExists: boolean;
}

export interface DropTableQuery {
  readonly kind: "dropTable";
  readonly table: string;
  readonly ifExists: boolean;
}

export interface CreateIndexQuery {
  readonly kind: "createIndex";
  readonly table: string;
  readonly name: string;
  readonly columns: readonly string[];
  readonly unique: boolean;
  readonly ifNotExists: boolean;
}

export interface DropIndexQuery {
  readonly kind: "dropIndex";
  readonly name: string;
  readonly ifExists: boolean;
}

/** Whether a table exists: each dialect asks its catalog. */
export interface TableExistsQuery {
  readonly kind: "tableExists";
  readonly table: string;
}

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
  readonly sql: string;
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
