/**
 * The suite's own assertions, so that it runs under any test runner (vitest,
 * node:test, bun:test, Deno.test) and compares database values the way they
 * should be compared: Dates by instant, bytes by content, bigints exactly.
 */
import { show } from "../show.ts";

/** A conformance case found the backend doing something other than the contract says. */
export class ConformanceFailure extends Error {
  /** "ConformanceFailure". */
  override name = "ConformanceFailure";
}

export function fail(message: string): never {
  throw new ConformanceFailure(message);
}

export function ok(condition: unknown, message: string): asserts condition {
  if (!condition) fail(message);
}

export function equal(actual: unknown, expected: unknown, what: string): void {
  if (!same(actual, expected)) fail(`${what}: expected ${describe(expected)}, got ${describe(actual)}`);
}

/** Structural equality with database-value semantics. Types must match: 1 is not 1n. */
export function same(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array && b instanceof Uint8Array) || a.length !== b.length) return false;
    return a.every((byte, i) => byte === b[i]);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
  }
  if (a && b && typeof a === "object" && typeof b === "object") {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}

/** Awaits a promise that must reject with an instance of `type`; returns the error for more checks. */
export async function rejects<E extends Error>(
  work: Promise<unknown> | (() => Promise<unknown>),
  type: abstract new (...args: never[]) => E,
  what: string,
): Promise<E> {
  try {
    await (typeof work === "function" ? work() : work);
  } catch (error) {
    if (error instanceof type) return error;
    const name = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    fail(`${what}: expected a ${type.name}, got ${name}`);
  }
  fail(`${what}: expected a ${type.name}, but it succeeded`);
}

function describe(value: unknown): string {
  if (value instanceof Uint8Array) return `bytes [${[...value.slice(0, 16)].join(", ")}${value.length > 16 ? ", ..." : ""}] (${value.length})`;
  if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    try {
      return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));
    } catch {
      return show(value);
    }
  }
  return show(value);
}
