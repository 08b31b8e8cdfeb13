/**
 * The schema types EdgeRecord's public API names, declared here rather than
 * borrowed from zod's internals, so the API (and its JSR docs) stays the same
 * whichever zod build an application uses.
 */

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
