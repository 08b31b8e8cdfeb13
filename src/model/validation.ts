/**
 * Validation of attribute values before a write. Exact checks per column
 * type accept what the column's zod schema accepts without touching zod; a
 * value they do not accept, or a column type without one, goes through the
 * zod schemas of zod-schemas.ts, which decide and word the error.
 *
 * zod is a large import (zod/mini loads ~100 modules unbundled, ~50-100 ms
 * in a fresh Node process), and a first query never needs it, nor does a
 * write whose values are fine. So this module does not import zod: it
 * reaches zod-schemas.ts through `provideZodSchemas` (when something else
 * imported it) or a dynamic `import()` (a bundler keeps that in the same
 * bundle; no eval), and `check()` returns a promise only in that case.
 */
import type { $ZodType } from "zod/v4/core";
import type { ZodMiniObject, ZodMiniType } from "zod/mini";
import type { ColumnType } from "../schema/column.ts";
import { ValidationError, type ValidationIssue } from "../errors.ts";
import type { AttributeMetadata, ModelMetadata } from "./metadata.ts";

export type ZodType = ZodMiniType;

/** A column type's base schema: what a value of that type is. */
export type BaseSchemas = Record<ColumnType, (a: AttributeMetadata) => ZodType>;

interface ZodSchemas {
  modelSchemas(metadata: ModelMetadata): { shapes: Map<string, ZodType>; schema: ZodMiniObject };
}

let zodSchemas: ZodSchemas | undefined;
let loading: Promise<void> | undefined;

/** Called by zod-schemas.ts when it is evaluated. */
export function provideZodSchemas(schemas: ZodSchemas): void {
  zodSchemas = schemas;
}

/** Loads zod-schemas.ts (and zod) once; resolves at once when it is loaded. */
export function loadZodSchemas(): Promise<void> {
  return (loading ??= import("./zod-schemas.ts").then(() => undefined));
}

const DECIMAL = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
/** zod's own UUID pattern (zod/v4/core regexes.uuid()): a string it accepts, zod accepts. */
const UUID = /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$/;

/**
 * Cheap checks that accept only what the column's base zod schema accepts.
 * A value they accept skips zod; any other goes through zod, which decides
 * and words the error. (Bulk inserts validate every row: 10,000 rows is
 * 50,000 checks.)
 */
const ACCEPTS: Record<ColumnType, (value: unknown, a: AttributeMetadata) => boolean> = {
  integer: (v) => Number.isSafeInteger(v),
  bigint: (v) => typeof v === "bigint" || Number.isSafeInteger(v),
  real: (v) => Number.isFinite(v),
  decimal: (v) => (typeof v === "string" && DECIMAL.test(v)) || Number.isFinite(v),
  text: (v) => typeof v === "string",
  varchar: (v, a) => typeof v === "string" && (a.schema.length === undefined || v.length <= a.schema.length),
  boolean: (v) => typeof v === "boolean",
  date: (v) => v instanceof Date && !Number.isNaN(v.getTime()),
  datetime: (v) => v instanceof Date && !Number.isNaN(v.getTime()),
  json: () => true,
  uuid: (v) => typeof v === "string" && UUID.test(v),
  blob: (v) => v instanceof Uint8Array,
};

/** A column's own `validate` schema, run alone: `safeParse` is on classic and mini schemas (a bare core schema has none). */
interface Parses {
  safeParse(value: unknown): { success: boolean };
}

function ownParser(schema: $ZodType | undefined): Parses | undefined {
  return schema && typeof (schema as Partial<Parses>).safeParse === "function" ? (schema as unknown as Parses) : undefined;
}

/**
 * Accepts a value the attribute's schema accepts (without zod), or answers
 * "not sure" (false): then zod decides. With a `validate` schema, the base
 * check runs first, then that schema's own `safeParse`, as `z.pipe` would.
 */
export function fastAccept(a: AttributeMetadata): ((value: unknown) => boolean) | undefined {
  const own = ownParser(a.options.validate);
  if (a.options.validate && !own) return undefined;
  let base: (v: unknown) => boolean;
  if (a.options.enum) {
    const allowed = new Set<unknown>(a.options.enum);
    base = (v) => allowed.has(v);
  } else {
    const accepts = ACCEPTS[a.type];
    base = (v) => accepts(v, a);
  }
  if (own) return (v) => (v === null ? !!a.schema.nullable : base(v) && own.safeParse(v).success);
  return (v) => (v === null ? !!a.schema.nullable : base(v));
}

export interface ModelValidation {
  /** The whole model's attributes, as `create()` takes them (a zod schema: needs zod-schemas.ts loaded). */
  readonly schema: ZodMiniObject;
  /**
   * Validates some or all attributes; throws ValidationError listing every
   * failing field. Returns a promise (rejecting with that error) only when
   * a value needs zod and zod is not loaded yet: callers await the result.
   */
  check(values: Record<string, unknown>, properties?: readonly string[]): void | Promise<void>;
}

const cache = new WeakMap<ModelMetadata, ModelValidation>();

export function getModelValidation(metadata: ModelMetadata): ModelValidation {
  let validation = cache.get(metadata);
  if (!validation) {
    validation = buildValidation(metadata);
    cache.set(metadata, validation);
  }
  return validation;
}

/** Left unset on a new record, the database or a default fills it (zod-schemas.ts makes these optional). */
function filledIn(a: AttributeMetadata): boolean {
  return !!(a.schema.autoIncrement || a.makeDefault || a.schema.nullable || a.options.autoCreate || a.options.autoUpdate);
}

function buildValidation(metadata: ModelMetadata): ModelValidation {
  const properties = metadata.attributes.map((a) => a.property);
  const fast = new Map(metadata.attributes.map((a) => [a.property, fastAccept(a)]));
  // `undefined` passes an unfilled column only where its schema takes it: json (z.unknown()) without an enum; zod answers for a `validate` there.
  const required = new Set(metadata.attributes.filter((a) => !filledIn(a) && !(a.type === "json" && !a.options.enum)).map((a) => a.property));
  const unsureAboutUndefined = new Set(metadata.attributes.filter((a) => !filledIn(a) && a.type === "json" && !a.options.enum && a.options.validate).map((a) => a.property));
  let zod: ReturnType<ZodSchemas["modelSchemas"]> | undefined;
  const schemas = () => (zod ??= zodSchemas!.modelSchemas(metadata));

  /** The full check, with zod (loaded). */
  const slow = (values: Record<string, unknown>, names: readonly string[]): void => {
    const { shapes } = schemas();
    const issues: ValidationIssue[] = [];
    for (const property of names) {
      const value = values[property];
      if (value === undefined && (required.has(property) || (unsureAboutUndefined.has(property) && !shapes.get(property)!.safeParse(undefined).success))) {
        issues.push({ field: property, message: "is required" });
        continue;
      }
      if (value !== undefined && fast.get(property)?.(value)) continue;
      const result = shapes.get(property)!.safeParse(value);
      if (!result.success) {
        for (const issue of result.error.issues) issues.push({ field: property, message: issue.message });
      }
    }
    if (issues.length) throw new ValidationError(metadata.name, issues);
  };

  return {
    get schema() {
      if (!zodSchemas) throw new Error("EdgeRecord: zod-schemas.ts is not loaded (await loadZodSchemas() first)");
      return schemas().schema;
    },
    check(values, names = properties) {
      // Without zod while every value passes its exact check; otherwise zod decides (and words the errors).
      let sure = true;
      for (const property of names) {
        const value = values[property];
        if (value === undefined) {
          if (required.has(property) || unsureAboutUndefined.has(property)) {
            sure = false;
            break;
          }
          continue;
        }
        if (!fast.get(property)?.(value)) {
          sure = false;
          break;
        }
      }
      if (sure) return;
      if (zodSchemas) return slow(values, names);
      return loadZodSchemas().then(() => slow(values, names));
    },
  };
}
