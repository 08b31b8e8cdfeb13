/**
 * Parameters as a compilation collects them: `Emitter` is one compilation's
 * buffer (SQL text plus parameters already converted to database form), and
 * `Slot`s make a compiled statement a template, compiled once per query shape
 * and bound per call.
 */
import type { CompiledQuery } from "../query/ast.ts";
import type { ColumnType } from "../schema/column.ts";
import type { ValueMapper } from "./dialect.ts";

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
  ) {}
}

/** A compiled statement whose parameters are partly slots; `bindTemplate` fills them. */
export interface StatementTemplate {
  readonly sql: string;
  readonly params: readonly unknown[];
  readonly singleRow: boolean;
  /** Whether any parameter is a slot (else `params` are final). */
  readonly slotted: boolean;
}

/** The statement for one call: slots replaced by `args`, converted as the compiler would have. */
export function bindTemplate(template: StatementTemplate, values: ValueMapper, args: readonly unknown[]): CompiledQuery {
  const params = template.slotted ? template.params.map((p) => (p instanceof SlotUse ? toDatabase(values, p.type, args[p.index], p.column) : p)) : template.params;
  return template.singleRow ? { sql: template.sql, params, singleRow: true } : { sql: template.sql, params };
}

function toDatabase(values: ValueMapper, type: ColumnType | undefined, value: unknown, column: string | undefined): unknown {
  try {
    return values.toDatabase(type, value);
  } catch (error) {
    // Name the column: the converter only knows it expected, say, a number.
    if (column === undefined) throw error;
    throw new TypeError(`column "${column}": ${(error as Error).message}`, { cause: error });
  }
}

/** One compilation's output buffer: SQL text plus parameters already in database form. */
export class Emitter {
  slotted = false;
  sql = "";
  readonly params: unknown[] = [];
  /** In a joined select, the table unqualified columns belong to. */
  defaultTable: string | undefined;
  constructor(
    private readonly placeholder: (index: number) => string,
    private readonly values: ValueMapper,
  ) {}
  text(part: string): void {
    this.sql += part;
  }
  param(value: unknown, type: ColumnType | undefined, column?: string): void {
    this.sql += this.bind(value, type, column);
  }
  /** Adds a parameter and returns its placeholder, for callers that assemble the text themselves. */
  bind(value: unknown, type: ColumnType | undefined, column?: string): string {
    if (value instanceof Slot) {
      this.slotted = true;
      this.params.push(new SlotUse(value.index, type, column));
    } else this.params.push(toDatabase(this.values, type, value, column));
    return this.placeholder(this.params.length);
  }
}
