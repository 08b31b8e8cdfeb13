/**
 * Validation of attribute values before a write: cheap exact checks per
 * column type first; a value they do not accept, or a column without one,
 * goes through the column's zod schema (zod-schemas.ts), which decides and
 * words the error.
 *
 * The zod side lives in zod-schemas.ts so that it could load lazily (zod/mini
 * is ~100 modules, 50-100 ms of a cold Node start, and a first query or a
 * write whose values pass the exact checks never needs it). It is imported
 * statically for now: `User.schema`, `insertSchema()`, `updateSchema()` and
 * `selectSchema()` return zod schemas synchronously, so zod must be loaded
 * before they are called (see docs/benchmarks.md, cold start).
 */
import type { ZodMiniObject, ZodMiniType } from "zod/mini";
import type { ColumnType } from "../schema/column.ts";
import { ValidationError, type ValidationIssue } from "../errors.ts";
import type { AttributeMetadata, ModelMetadata } from "./metadata.ts";
import { modelSchemas } from "./zod-schemas.ts";

export type ZodType = ZodMiniType;

/** A column type's base schema: what a value of that type is. */
export type BaseSchemas = Record<ColumnType, (a: AttributeMetadata) => ZodType>;

/**
 * Cheap checks that accept exactly what the column's zod schema accepts, for
 * the common case of a column without its own `validate` schema. A value they
 * accept skips zod; any other goes through zod, which decides and words the
 * error. (Bulk inserts validate every row: 10,000 rows is 50,000 checks.)
 */
const ACCEPTS: Partial<Record<ColumnType, (value: unknown, a: AttributeMetadata) => boolean>> = {
  integer: (v) => Number.isSafeInteger(v),
  bigint: (v) => typeof v === "bigint" || Number.isSafeInteger(v),
  real: (v) => Number.isFinite(v),
  text: (v) => typeof v === "string",
  varchar: (v, a) => typeof v === "string" && (a.schema.length === undefined || v.length <= a.schema.length),
  boolean: (v) => typeof v === "boolean",
  date: (v) => v instanceof Date && !Number.isNaN(v.getTime()),
  datetime: (v) => v instanceof Date && !Number.isNaN(v.getTime()),
  json: () => true,
  blob: (v) => v instanceof Uint8Array,
};

export function fastAccept(a: AttributeMetadata): ((value: unknown) => boolean) | undefined {
  if (a.options.validate) return undefined;
  if (a.options.enum) {
    const allowed = new Set<unknown>(a.options.enum);
    return (v) => allowed.has(v) || (v === null && a.schema.nullable);
  }
  const accepts = ACCEPTS[a.type];
  if (!accepts) return undefined;
  return (v) => (v === null ? a.schema.nullable : accepts(v, a));
}

export interface ModelValidation {
  /** The whole model's attributes, as `create()` takes them. */
  readonly schema: ZodMiniObject;
  /** Validates some or all attributes; throws ValidationError listing every failing field. */
  check(values: Record<string, unknown>, properties?: readonly string[]): void;
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

function buildValidation(metadata: ModelMetadata): ModelValidation {
  const { shapes, schema } = modelSchemas(metadata);
  const required = new Set(metadata.attributes.filter((a) => !shapes.get(a.property)!.safeParse(undefined).success).map((a) => a.property));
  const fast = new Map(metadata.attributes.map((a) => [a.property, fastAccept(a)]));
  return {
    schema,
    check(values, properties) {
      const issues: ValidationIssue[] = [];
      for (const property of properties ?? shapes.keys()) {
        const value = values[property];
        if (value === undefined && required.has(property)) {
          issues.push({ field: property, message: "is required" });
          continue;
        }
        if (value !== undefined && fast.get(property)?.(value)) continue;
        const result = shapes.get(property)!.safeParse(value);
        if (!result.success) {
          for (const issue of result.error.issues) {
            issues.push({ field: property, message: issue.message });
          }
        }
      }
      if (issues.length) throw new ValidationError(metadata.name, issues);
    },
  };
}
