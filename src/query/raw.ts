import type { RawFragment } from "./ast.ts";

/**
 * SQL written by hand, with every interpolated value sent as a bound parameter:
 *
 *     sql`SELECT * FROM users WHERE email = ${email}`
 *
 * A fragment interpolated into another is spliced in with its own parameters.
 */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): RawFragment {
  const outStrings: string[] = [strings[0]!];
  const outValues: unknown[] = [];
  values.forEach((value, i) => {
    const next = strings[i + 1]!;
    if (isRawFragment(value)) {
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
  return { kind: "raw", strings: outStrings, values: outValues };
}

/**
 * The `(sql, params)` form of a raw statement: `?` marks each parameter, in
 * order, whatever the dialect's own placeholder is.
 */
export function rawQuery(text: string, params: readonly unknown[] = []): RawFragment {
  const strings = splitPlaceholders(text);
  if (strings.length - 1 !== params.length) {
    throw new RangeError(
      `raw SQL has ${strings.length - 1} "?" placeholder(s) but ${params.length} parameter(s) were given`,
    );
  }
  return { kind: "raw", strings, values: [...params] };
}

export function isRawFragment(value: unknown): value is RawFragment {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as RawFragment).kind === "raw" &&
    Array.isArray((value as RawFragment).strings)
  );
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
