/**
 * Validation with zod: each column's type and options give a base schema,
 * a column's own `validate` schema is piped after it, and the model's object
 * schema (`User.schema`) is what `save()` checks and what an application can
 * use on request bodies.
 *
 * The derived schemas use `zod/mini`, whose functions tree-shake: the classic
 * `zod` entry cannot, and brought ~92 KiB gzipped into every bundle (see
 * bench/bundle-size.ts). A column's `validate` may be a classic or a mini
 * schema: both are zod core schemas, and `z.pipe` takes either.
 */
import * as z from "zod/mini";
import en from "zod/v4/locales/en.js";
import type { ColumnType } from "../schema/column.ts";
import { ValidationError, type ValidationIssue } from "../errors.ts";
import type { AttributeMetadata, ModelMetadata } from "./metadata.ts";

type ZodType = z.ZodMiniType;

// zod/mini ships no messages ("Invalid input" for everything); classic zod installs English on import. Do the same, unless the app chose a locale.
if (!z.config().localeError) z.config(en());

const DECIMAL = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** A column type's base schema: what a value of that type is. */
export type BaseSchemas = Record<ColumnType, (a: AttributeMetadata) => ZodType>;

export const BASE: BaseSchemas = {
  integer: () => z.int(),
  bigint: () => z.union([z.bigint(), z.int()]),
  real: () => z.number(),
  decimal: () => z.union([z.string().check(z.regex(DECIMAL, "expected a decimal number")), z.number()]),
  text: () => z.string(),
  varchar: (a) => (a.schema.length ? z.string().check(z.maxLength(a.schema.length)) : z.string()),
  boolean: () => z.boolean(),
  date: () => z.date(),
  datetime: () => z.date(),
  json: () => z.unknown(),
  uuid: () => z.uuid(),
  blob: () => z.instanceof(Uint8Array),
};

/** An attribute's schema: its type's base (from `base`), its enum, its own `validate`, nullability and optionality. */
export function attributeSchema(a: AttributeMetadata, base: BaseSchemas = BASE): ZodType {
  let schema = a.options.enum ? z.enum(a.options.enum as unknown as [string, ...string[]]) : base[a.type](a);
  if (a.options.validate) schema = z.pipe(schema, a.options.validate as unknown as ZodType);
  if (a.schema.nullable) schema = z.nullable(schema);
  // Left unset on a new record, the database or a default fills it.
  const filledIn = a.schema.autoIncrement || a.makeDefault || a.schema.nullable || a.options.autoCreate || a.options.autoUpdate;
  if (filledIn) schema = z.optional(schema);
  return schema;
}

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
  readonly schema: z.ZodMiniObject;
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
  const shapes = new Map(metadata.attributes.map((a) => [a.property, attributeSchema(a)]));
  const schema = z.object(Object.fromEntries(shapes));
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
