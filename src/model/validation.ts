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
import { show } from "../show.ts";
import { columnSchema, modelSchemas } from "./zod-schemas.ts";

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
  /**
   * Validates some or all attributes; throws ValidationError listing every
   * failing field, and changes nothing then. When every field passes, a
   * value its schema changed (a `validate` with `.trim()`, `.toLowerCase()`,
   * a transform) is replaced in `values` by the schema's output: what is
   * stored is what was validated. Returns the replaced values as they were
   * before (undefined when none was), so a write that fails can put them back.
   */
  check(values: Record<string, unknown>, properties?: readonly string[]): Record<string, unknown> | undefined;
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
  const columns = new Map<string, ZodType>();
  return {
    schema,
    check(values, properties) {
      const issues: ValidationIssue[] = [];
      // Outputs that differ from their input: only a value zod parsed can be one, so the fast path never allocates this.
      let outputs: Map<string, unknown> | undefined;
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
        } else if (!Object.is(result.data, value)) {
          const problem = outputProblem(metadata, columns, property, value, result.data);
          if (problem) issues.push(problem);
          else (outputs ??= new Map()).set(property, result.data);
        }
      }
      if (issues.length) throw new ValidationError(metadata.name, issues);
      if (!outputs) return undefined;
      const before: Record<string, unknown> = {};
      for (const [property, output] of outputs) {
        before[property] = values[property];
        values[property] = output;
      }
      return before;
    },
  };
}

/** A column's own `validate` may change a value; what it returns must still be a value of the column. */
function outputProblem(metadata: ModelMetadata, columns: Map<string, ZodType>, property: string, input: unknown, output: unknown): ValidationIssue | undefined {
  const a = metadata.attribute(property);
  let column = columns.get(property);
  if (!column) columns.set(property, (column = columnSchema(a)));
  if (output !== undefined && column.safeParse(output).success) return undefined;
  return { field: property, message: `validate turned ${show(input)} into ${show(output)}, not a valid ${a.type} value for ${metadata.name}.${property}` };
}
