/**
 * How error messages describe a value: short, never the whole of a long
 * string, and never trusting the value's own properties (a request body's
 * `"constructor"` key is data, so the class name comes from the prototype).
 * Every layer uses it, so it sits below them all, beside errors.ts.
 */
export function show(value: unknown): string {
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (value instanceof Date) return `Date(${Number.isNaN(value.getTime()) ? "invalid" : value.toISOString()})`;
  if (value === null || value === undefined) return String(value);
  if (typeof value === "object") {
    if (Array.isArray(value)) return "an array";
    const type = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
    return `an object (${typeof type === "string" && type ? type : "Object"})`;
  }
  return `${typeof value} ${String(value)}`;
}
