/**
 * SQL written by the application. A fragment is a `SqlFragment`, made only
 * by `sql` and `rawQuery`; it is recognised by a private class brand, so an
 * object from a request body that merely looks like one (`{"kind":"raw",
 * "strings":[...]}`) is a value, bound as a parameter, never SQL.
 */
import { ArgumentError } from "../errors.ts";

/** SQL written by the application, with its values bound as parameters; made by `sql` and `rawQuery` only. */
export class SqlFragment {
  readonly #brand = true;
  /** The node kind in a query description. */
  readonly kind = "raw" as const;
  /** Made by `sql` and `rawQuery` only. */
  constructor(
    /** The text between the values; `strings.length === values.length + 1`. */
    readonly strings: readonly string[],
    readonly values: readonly unknown[],
  ) {}
  /** Whether `value` was made by `sql` or `rawQuery`. */
  static is(value: unknown): value is SqlFragment {
    return typeof value === "object" && value !== null && #brand in value;
  }
}

/**
 * SQL written by hand, with every interpolated value sent as a bound parameter:
 *
 *     sql`SELECT * FROM users WHERE email = ${email}`
 *
 * A fragment interpolated into another is spliced in with its own parameters.
 */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): SqlFragment {
  // Only a real template call has `raw`: sql(JSON.parse(...)) cannot pass its strings off as SQL.
  if (!Array.isArray(strings) || !Array.isArray((strings as TemplateStringsArray).raw)) {
    throw new ArgumentError("sql must be used as a tagged template: sql`SELECT ... WHERE id = ${id}`");
  }
  const outStrings: string[] = [strings[0]!];
  const outValues: unknown[] = [];
  values.forEach((value, i) => {
    const next = strings[i + 1]!;
    if (SqlFragment.is(value)) {
      outStrings[outStrings.length - 1] += value.strings[0]!;
      for (let j = 0; j < value.values.length; j++) {
        outValues.push(value.values[j]);
        outStrings.push(value.strings[j + 1]!);
      }
      outStrings[outStrings.length - 1] += next;
    } else {
      outValues.push(value);
      outStrings.push(next);
    }
  });
  return new SqlFragment(outStrings, outValues);
}

/**
 * The `(sql, params)` form of a raw statement: `?` marks each parameter, in
 * order, whatever the dialect's own placeholder is.
 */
export function rawQuery(text: string, params: readonly unknown[] = []): SqlFragment {
  if (typeof text !== "string") throw new ArgumentError(`raw SQL must be a string written by the program, got ${typeof text}`);
  if (!Array.isArray(params)) throw new ArgumentError("raw SQL parameters must be an array");
  const strings = splitPlaceholders(text);
  if (strings.length - 1 !== params.length) {
    throw new ArgumentError(`raw SQL has ${strings.length - 1} "?" placeholder(s) but ${params.length} parameter(s) were given`);
  }
  return new SqlFragment(strings, [...params]);
}

/** Whether `value` is a fragment made by `sql` or `rawQuery` (never a look-alike object). */
export function isRawFragment(value: unknown): value is SqlFragment {
  return SqlFragment.is(value);
}

/** Splits on `?` outside quoted strings and identifiers, so `'?'` in a literal stays text. */
function splitPlaceholders(text: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quote: string | null = null;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = null;
      current += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      current += ch;
    } else if (ch === "?") {
      parts.push(current);
      current = "";
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}
