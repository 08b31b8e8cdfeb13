/**
 * The zod side of validation: each column's type and options give a base
 * schema, a column's own `validate` schema is piped after it, and the
 * model's object schema (`User.schema`) is what an application can use on
 * request bodies. validation.ts checks values without zod while they pass
 * its exact checks and reaches this module only for the rest (a refusal and
 * its wording, a type without an exact check). It imports nothing else of
 * EdgeRecord at run time, so that it can be loaded by a dynamic import
 * (esbuild then wraps only this module and zod for lazy evaluation, not
 * what they import).
 *
 * The derived schemas use `zod/mini`, whose functions tree-shake: the classic
 * `zod` entry cannot, and brought ~92 KiB gzipped into every bundle (see
 * bench/bundle-size.ts). A column's `validate` may be a classic or a mini
 * schema: both are zod core schemas, and `z.pipe` takes either.
 */
import * as z from "zod/mini";
import en from "zod/v4/locales/en.js";
import type { AttributeMetadata, ModelMetadata } from "./metadata.ts";
import type { BaseSchemas, ZodType } from "./validation.ts";

// zod/mini ships no messages ("Invalid input" for everything); classic zod installs English on import. Do the same, unless the app chose a locale.
if (!z.config().localeError) z.config(en());

const DECIMAL = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

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

/** What a value of the attribute's column is, before its own `validate`: the type's base (from `base`) or its enum, and null where nullable. */
export function columnSchema(a: AttributeMetadata, base: BaseSchemas = BASE): ZodType {
  const schema = a.options.enum ? z.enum(a.options.enum as unknown as [string, ...string[]]) : base[a.type](a);
  return a.schema.nullable ? z.nullable(schema) : schema;
}

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

/** Every attribute's schema, and the model's object schema. */
export function modelSchemas(metadata: ModelMetadata): { shapes: Map<string, ZodType>; schema: z.ZodMiniObject } {
  const shapes = new Map(metadata.attributes.map((a) => [a.property, attributeSchema(a)]));
  return { shapes, schema: z.object(Object.fromEntries(shapes)) };
}

