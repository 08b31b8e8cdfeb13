/**
 * What each query kind compiles to, for the `kind` and `returning` hints of a
 * compiled statement. A table keyed by every query kind, so that a new kind
 * is a compile error here until someone says what it does.
 */
import type { Query, StatementKind } from "../query/ast.ts";

const KINDS: { readonly [K in Query["kind"]]: StatementKind | undefined } = {
  select: "read",
  tableExists: "read",
  insert: "insert",
  update: "update",
  delete: "delete",
  createTable: "schema",
  dropTable: "schema",
  createIndex: "schema",
  dropIndex: "schema",
  // SQL the application wrote: the compiler only splices it, it does not know what it does.
  raw: undefined,
};

/** The hints of a compiled `query`: what it does and whether it returns written rows. */
export function statementHints(query: Query): { kind: StatementKind | undefined; returning: boolean } {
  const returning = (query.kind === "insert" || query.kind === "update") && (query.returning?.length ?? 0) > 0;
  return { kind: KINDS[query.kind], returning };
}
