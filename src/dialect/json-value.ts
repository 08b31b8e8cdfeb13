/**
 * What a JSON column may hold: exactly what JSON text can say and give back.
 * `JSON.stringify` changes other values without a word (a Map or Set becomes
 * `{}`, NaN and Infinity become null, a function or Symbol disappears or makes
 * the whole value undefined, a Date becomes a string) and throws a bare
 * TypeError or RangeError for cycles, bigints and deep nesting. This walk
 * names the first value that would not come back as it went in, with its path.
 */

/**
 * Deepest nesting accepted. SQLite's JSON functions stop at 1000 levels and
 * PostgreSQL's jsonb parser at its stack limit; well below both, and far
 * beyond any document a model stores.
 */
export const MAX_JSON_DEPTH = 512;

/** Why `value` cannot be stored as JSON text unchanged, or undefined when it can. */
export function jsonProblem(value: unknown): string | undefined {
  return check(value, "$", 0, new Set());
}

function check(value: unknown, path: string, depth: number, ancestors: Set<object>): string | undefined {
  switch (typeof value) {
    case "string":
      return textProblem(value, path);
    case "boolean":
      return undefined;
    case "number":
      return Number.isFinite(value) ? undefined : `${path} is ${value}, which JSON cannot hold (it would become null)`;
    case "bigint":
      return `${path} is a bigint, which JSON cannot hold (store it as a string)`;
    case "object":
      break;
    default:
      return `${path} is a ${typeof value}, which JSON cannot hold`;
  }
  if (value === null) return undefined;
  if (depth >= MAX_JSON_DEPTH) return `${path} is nested deeper than ${MAX_JSON_DEPTH} levels`;
  if (ancestors.has(value)) return `${path} refers back to a value that contains it (a cycle)`;
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        // A hole or undefined in an array would come back as null.
        if (value[i] === undefined) return `${path}[${i}] is undefined, which JSON stores as null`;
        const problem = check(value[i], `${path}[${i}]`, depth + 1, ancestors);
        if (problem) return problem;
      }
      return undefined;
    }
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) {
      const name = (value as { constructor?: { name?: string } }).constructor?.name ?? "object";
      return `${path} is a ${name}, which JSON cannot hold as it is (use a plain object, an array or a string)`;
    }
    for (const key of Object.keys(value)) {
      const keyProblem = textProblem(key, `${path} key ${JSON.stringify(key)}`);
      if (keyProblem) return keyProblem;
      const item = (value as Record<string, unknown>)[key];
      // A property set to undefined is left out, as JSON has no undefined: the object reads back the same.
      if (item === undefined) continue;
      const problem = check(item, `${path}.${key}`, depth + 1, ancestors);
      if (problem) return problem;
    }
    if (Object.getOwnPropertySymbols(value).length) return `${path} has Symbol keys, which JSON cannot hold`;
    return undefined;
  } finally {
    ancestors.delete(value);
  }
}

/** Text every backend stores and gives back unchanged. */
export function textProblem(text: string, what: string): string | undefined {
  // PostgreSQL refuses NUL (in text, and as \u0000 in jsonb) and SQLite drivers cut the string at it.
  if (text.includes("\0")) return `${what} contains the NUL character (\\u0000), which text cannot hold; store such data in a blob column`;
  // A lone surrogate is not Unicode: drivers encode it as U+FFFD, so different strings would be stored alike.
  if (!(text as string & { isWellFormed(): boolean }).isWellFormed()) return `${what} contains a lone UTF-16 surrogate (not well-formed Unicode)`;
  return undefined;
}
