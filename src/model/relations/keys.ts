/** Key values as map keys: 1, 1n and "1" from different drivers or columns must meet. */
export function keyOf(value: unknown): string {
  return typeof value === "bigint" ? value.toString() : String(value);
}

export function uniqueKeys(values: Iterable<unknown>): unknown[] {
  const seen = new Map<string, unknown>();
  for (const value of values) {
    if (value !== null && value !== undefined && !seen.has(keyOf(value))) seen.set(keyOf(value), value);
  }
  return [...seen.values()];
}
