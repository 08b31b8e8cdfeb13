/**
 * Parameters as a compilation collects them: `Emitter` is one compilation's
 * buffer (SQL text plus parameters already converted to database form), and
 * `Slot`s make a compiled statement a template, compiled once per query shape
 * and bound per call.
 */
import type { CompiledQuery, StatementKind } from "../query/ast.ts";
import type { ColumnType } from "../schema/column.ts";
import type { ValueMapper } from "./dialect.ts";
import { ValidationError } from "../errors.ts";

/**
 * A parameter whose value comes later: a query compiled with slots is a
 * template, compiled once per query shape and bound per call (see
 * `bindTemplate`). Slot `n` takes the n-th bound value.
 */
export class Slot {
  constructor(readonly index: number) {}
}

/** Where a slot landed among a template's parameters, with what converts its value. */
export class SlotUse {
  constructor(
    readonly index: number,
    readonly type: ColumnType | undefined,
    readonly column: string | undefined,
    readonly table: string | undefined,
  ) {}
}

/** A compiled statement whose parameters are partly slots; `bindTemplate` fills them. */
export interface StatementTemplate {
  /** The SQL text, placeholders included. */
  readonly sql: string;
  /** The parameters: final values, or slot uses to fill per call. */
  readonly params: readonly unknown[];
  /** The statement returns at most one row (a LIMIT 1 select). */
  readonly singleRow: boolean;
  /** What the statement does (absent for raw SQL); passed on as `CompiledQuery.kind`. */
  readonly kind: StatementKind | undefined;
  /** A write with RETURNING; passed on as `CompiledQuery.returning`. */
  readonly returning: boolean;
  /** Whether any parameter is a slot (else `params` are final). */
  readonly slotted: boolean;
}

/** The statement for one call: slots replaced by `args`, converted as the compiler would have. */
export function bindTemplate(template: StatementTemplate, values: ValueMapper, args: readonly unknown[]): CompiledQuery {
  const params = template.slotted ? template.params.map((p) => (p instanceof SlotUse ? toDatabase(values, p.type, args[p.index], p.column, p.table) : p)) : template.params;
  return compiledQuery(template, params);
}

/** A template's statement with final `params` and the template's hints; a hint that does not hold is left out, not set to false. */
export function compiledQuery(template: StatementTemplate, params: readonly unknown[]): CompiledQuery {
  const { sql, kind } = template;
  if (!kind) return template.singleRow ? { sql, params, singleRow: true } : { sql, params };
  if (template.returning) return { sql, params, kind, returning: true };
  return template.singleRow ? { sql, params, kind, singleRow: true } : { sql, params, kind };
}

function toDatabase(values: ValueMapper, type: ColumnType | undefined, value: unknown, column: string | undefined, table: string | undefined): unknown {
  try {
    return values.toDatabase(type, value);
  } catch (error) {
    throw refused(error, column, table);
  }
}

/**
 * A converter's refusal as a ValidationError naming the table (the model is
 * not known down here) and the column: the converter only knows it expected,
 * say, a number. A converter of a custom dialect may throw anything; it is
 * wrapped the same way, never passed on bare.
 */
function refused(error: unknown, column: string | undefined, table: string | undefined): ValidationError {
  const issues = error instanceof ValidationError ? error.issues : [{ field: "", message: String((error as Error)?.message ?? error) }];
  return new ValidationError(
    table ?? "a parameter",
    issues.map((issue) => ({ field: column ?? issue.field, message: issue.message })),
    { cause: error },
  );
}

/** One compilation's output buffer: SQL text plus parameters already in database form. */
export class Emitter {
  /** Whether a template slot was bound (the statement is compiled once per shape). */
  slotted = false;
  /** The SQL text so far. */
  sql = "";
  /** The parameters so far, in database form. */
  readonly params: unknown[] = [];
  /** In a joined select, the table unqualified columns belong to. */
  defaultTable: string | undefined;
  /** The statement's table, to name in a refused value's error. */
  table: string | undefined;
  /** Makes an emitter with the dialect's placeholder and value mapper. */
  constructor(
    private readonly placeholder: (index: number) => string,
    private readonly values: ValueMapper,
  ) {}
  /** Appends SQL text. */
  text(part: string): void {
    this.sql += part;
  }
  /** Appends a parameter's placeholder, its value converted for the column type. */
  param(value: unknown, type: ColumnType | undefined, column?: string): void {
    this.sql += this.bind(value, type, column);
  }
  /** Adds a parameter and returns its placeholder, for callers that assemble the text themselves. */
  bind(value: unknown, type: ColumnType | undefined, column?: string): string {
    if (value instanceof Slot) {
      this.slotted = true;
      this.params.push(new SlotUse(value.index, type, column, this.table));
    } else this.params.push(toDatabase(this.values, type, value, column, this.table));
    return this.placeholder(this.params.length);
  }
  /**
   * Binds a whole list as one parameter: each value converted as `bind` would,
   * then `encode` makes the list one database value (a JSON array, a
   * PostgreSQL array literal). Slots are not taken here.
   */
  bindList(values: readonly unknown[], type: ColumnType, column: string, encode: (converted: unknown[]) => unknown): string {
    const converted = new Array<unknown>(values.length);
    for (let i = 0; i < values.length; i++) converted[i] = toDatabase(this.values, type, values[i], column, this.table);
    this.params.push(encode(converted));
    return this.placeholder(this.params.length);
  }
}
