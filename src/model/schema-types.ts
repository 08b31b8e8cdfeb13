/**
 * The schema types EdgeRecord's public API names, declared here rather than
 * borrowed from zod's internals, so the API (and its JSR docs) stays the same
 * whichever zod build an application uses. The request schemas' `shape` is
 * typed with the few `_zod` members zod's own type inference reads (output,
 * input, optionality), so `z.strictObject(User.insertSchema().shape)` (classic
 * zod or zod/mini) and its `.pick`/`.omit`/`.extend` infer exact types.
 */
import type { Attributes } from "./types.ts";

/** A zod schema, from classic `zod` or `zod/mini` (both are zod core schemas), as a column's `validate` takes it. */
export interface ZodSchemaLike {
  /** zod's internals, present on every zod schema. */
  readonly _zod: { readonly def: unknown };
}

/** One problem a schema found in its input. */
export interface SchemaIssue {
  /** Where in the input: property names and array indexes. */
  readonly path: readonly PropertyKey[];
  /** What is wrong. */
  readonly message: string;
}

/** What `safeParse` returns: the parsed value, or the issues. */
export type SafeParseResult<T> =
  | { readonly success: true; readonly data: T }
  | { readonly success: false; readonly error: { readonly issues: readonly SchemaIssue[] } };

/** A schema for untrusted input: `parse` throws on bad input, `safeParse` reports it. */
export interface InputSchema<T> {
  /** The parsed, typed value; throws zod's error on bad input. */
  parse(input: unknown): T;
  /** The parsed value or the issues, without throwing. */
  safeParse(input: unknown): SafeParseResult<T>;
}

/** An attribute value as `toJSON()` writes it: ISO text for dates, digits for bigints, base64 for bytes. */
export type JsonForm<V> = V extends Date ? string : V extends bigint ? string : V extends Uint8Array ? string : V;

/** A field's schema as zod's type inference reads it: what it parses to (`Output`) and what it takes (`Input`). */
export interface FieldSchema<Output, Input = Output> extends ZodSchemaLike {
  /** The members of zod's internals that `z.output`, `z.input` and zod's objects read. */
  readonly _zod: { readonly def: unknown; readonly output: Output; readonly input: Input };
}

/** A field that may be left out (zod reads `optin`/`optout` for the object's optional keys). */
export interface OptionalFieldSchema<Output, Input = Output> extends ZodSchemaLike {
  /** The members of zod's internals that `z.output`, `z.input` and zod's objects read. */
  readonly _zod: { readonly def: unknown; readonly output: Output | undefined; readonly input: Input | undefined; readonly optin: "optional"; readonly optout: "optional" };
}

/**
 * The shape of `insertSchema()` and `updateSchema()`: a field per attribute,
 * parsing to the attribute's type from it or its JSON form. Optional at type
 * level: whether a column is required (no default, not nullable), automatic
 * or guarded is in its decorator's options, which types cannot see; the
 * schema decides that at run time (the keys it leaves out are refused).
 */
export type InputShape<T> = { -readonly [K in keyof Attributes<T>]-?: OptionalFieldSchema<Attributes<T>[K], Attributes<T>[K] | JsonForm<Attributes<T>[K]>> };

/** The shape of `selectSchema()`: each attribute in the form `toJSON()` writes it. */
export type OutputShape<T> = { -readonly [K in keyof Attributes<T>]-?: FieldSchema<JsonForm<Attributes<T>[K]>> };

/** A zod object schema of a model: `parse`/`safeParse`, and its `shape` for zod's helpers. */
export interface ObjectSchema<Shape, T> extends InputSchema<T>, ZodSchemaLike {
  /** One schema per field: `z.strictObject(schema.shape).pick({ email: true })`, or `schema.shape.email` alone. */
  readonly shape: Shape;
}
