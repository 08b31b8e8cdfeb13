/**
 * Schemas for untrusted input, built from a model's metadata:
 * - `insert`: what a client may send to create a record. Auto-increment keys,
 *   timestamps, the soft-delete and version columns and guarded columns are
 *   left out (a key naming them is an error, as is any unknown key); a column
 *   with a default, or a nullable one, is optional.
 * - `update`: the same columns, every one optional.
 * - `select`: a record as `toJSON()` shows it (hidden columns left out).
 * JSON has no Date, bigint or bytes, so the input schemas also take them in
 * their `toJSON()` form (ISO text, digit strings, base64) and parse to the
 * attribute's type: `insert.parse(await request.json())` is ready for `create`.
 */
import * as z from "zod/mini";
import type { AttributeMetadata, ModelMetadata } from "./metadata.ts";
import type { Attributes } from "./types.ts";
import type { BaseSchemas } from "./validation.ts";
import { attributeSchema, BASE } from "./zod-schemas.ts";
import type { InputShape, JsonForm, ObjectSchema, OutputShape } from "./schema-types.ts";

export type { JsonForm };

type ZodType = z.ZodMiniType;

/** What a request body may hold to create a record (required columns are checked at run time). */
export type InsertInput<T> = Partial<Attributes<T>>;
/** What a request body may hold to change a record. */
export type UpdateInput<T> = Partial<Attributes<T>>;
/** A record as `toJSON()` writes it. */
export type JsonRecord<T> = { [K in keyof Attributes<T>]: JsonForm<Attributes<T>[K]> };

/**
 * A model's request schemas, typed by its record type. Each is a zod object
 * (zod/mini); its `shape` is typed per attribute, so zod's helpers applied to
 * `z.strictObject(schema.shape)` (pick, omit, extend, partial) infer exact types.
 */
export interface RequestSchemas<T> {
  /** Parses a request body for `create`: guarded, automatic and version columns left out. */
  readonly insert: ObjectSchema<InputShape<T>, InsertInput<T>>;
  /** Parses a request body for an update: every attribute optional, guarded ones left out. */
  readonly update: ObjectSchema<InputShape<T>, UpdateInput<T>>;
  /** Parses a record's JSON form (as `toJSON()` writes it). */
  readonly select: ObjectSchema<OutputShape<T>, JsonRecord<T>>;
}

const DIGITS = /^-?\d+$/;

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Input: the attribute's own type, or its JSON form parsed to it. */
const WIRE_IN: BaseSchemas = {
  ...BASE,
  bigint: () => z.union([z.bigint(), z.int(), z.pipe(z.string().check(z.regex(DIGITS)), z.transform((s: string) => BigInt(s)))]),
  date: () => z.union([z.date(), z.pipe(z.iso.date(), z.transform((s: string) => new Date(`${s}T00:00:00.000Z`)))]),
  datetime: () => z.union([z.date(), z.pipe(z.iso.datetime({ offset: true }), z.transform((s: string) => new Date(s)))]),
  blob: () => z.union([z.instanceof(Uint8Array), z.pipe(z.base64(), z.transform(fromBase64))]),
};

/** Output: what toJSON() writes for each type. */
const WIRE_OUT: BaseSchemas = {
  ...BASE,
  bigint: () => z.string().check(z.regex(DIGITS)),
  date: () => z.iso.datetime(),
  datetime: () => z.iso.datetime(),
  blob: () => z.base64(),
};

/** Columns a client never sets: the database, the clock or the program does. */
function clientWritable(a: AttributeMetadata): boolean {
  const o = a.options;
  return !a.schema.autoIncrement && !o.autoCreate && !o.autoUpdate && !o.softDelete && !o.version && !o.guarded;
}

const cache = new WeakMap<ModelMetadata, RequestSchemas<unknown>>();

export function requestSchemas<T>(metadata: ModelMetadata): RequestSchemas<T> {
  let schemas = cache.get(metadata);
  if (!schemas) {
    const writable = metadata.attributes.filter(clientWritable);
    const shape = (attributes: readonly AttributeMetadata[], make: (a: AttributeMetadata) => ZodType) =>
      Object.fromEntries(attributes.map((a) => [a.property, make(a)]));
    schemas = {
      insert: z.strictObject(shape(writable, (a) => attributeSchema(a, WIRE_IN))),
      update: z.strictObject(shape(writable, (a) => z.optional(attributeSchema(a, WIRE_IN)))),
      select: z.object(shape(metadata.attributes.filter((a) => !a.options.hidden), (a) => {
        const base = a.options.enum ? z.enum(a.options.enum as unknown as [string, ...string[]]) : WIRE_OUT[a.type](a);
        return a.schema.nullable ? z.nullable(base) : base;
      })),
    } as RequestSchemas<unknown>;
    cache.set(metadata, schemas);
  }
  return schemas as RequestSchemas<T>;
}
