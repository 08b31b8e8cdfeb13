/**
 * Keyset pagination: the page after a cursor in the query's order, with the
 * primary key as tie-break, as `(a, id) > (x, y)` spelled out per column so
 * mixed directions work on every dialect. The cursor is opaque to clients
 * (base64url of the last row's order values) and untrusted when it comes
 * back: it must decode to one value per order column, each fitting its
 * column, or the call is an ArgumentError before any SQL.
 */
import type { Condition, OrderEntry, OrderItem } from "../query/ast.ts";
import { operandMismatch } from "../query/operands.ts";
import { ArgumentError } from "../errors.ts";
import type { ActiveRecord } from "./active-record.ts";
import type { AttributeMetadata, ModelMetadata } from "./metadata.ts";
import type { ModelQuery } from "./query.ts";

/** The ordering as the model's own columns, for keyset pages: a sql`` or joined ordering is refused. */
export function ownOrdering(metadata: ModelMetadata, entries: readonly OrderEntry[], what: string): OrderItem[] {
  return entries.map((e) => {
    if (!("column" in e) || e.table !== undefined) throw new ArgumentError(`${metadata.name}: ${what} orders by the model's own attributes only, not a sql\`\` fragment or a joined model's attribute`);
    return e;
  });
}

interface KeyColumn {
  readonly attribute: AttributeMetadata;
  readonly direction: "ASC" | "DESC";
}

export async function keysetPage<T extends ActiveRecord>(
  query: ModelQuery<T>,
  metadata: ModelMetadata,
  ordering: readonly OrderItem[],
  cursor: string | null,
  perPage: number,
): Promise<{ rows: T[]; next: string | null }> {
  const keys = keyColumns(metadata, ordering);
  let page = query;
  // The query's own order stays; the primary key is appended as the tie-break.
  for (const k of keys.slice(ordering.length)) page = page.orderBy(k.attribute.property as never, k.direction === "ASC" ? "asc" : "desc");
  if (cursor !== null) page = page.whereCondition(after(keys, decode(metadata, keys, cursor)));
  const rows = await page.limit(perPage + 1).all();
  const more = rows.length > perPage;
  if (more) rows.length = perPage;
  const last = rows[rows.length - 1] as unknown as Record<string, unknown> | undefined;
  return { rows, next: more && last ? encode(keys.map((k) => last[k.attribute.property])) : null };
}

function keyColumns(metadata: ModelMetadata, ordering: readonly OrderItem[]): KeyColumn[] {
  if (metadata.primaryKey.length !== 1) throw new ArgumentError(`${metadata.name}: paginateAfter needs a single-column primary key`);
  const keys: KeyColumn[] = ordering.map((o) => ({ attribute: metadata.byColumn.get(o.column)!, direction: o.direction }));
  const pk = metadata.primaryKey[0]!;
  if (!keys.some((k) => k.attribute === pk)) keys.push({ attribute: pk, direction: "ASC" });
  for (const { attribute } of keys) {
    // NULL compares as unknown: rows holding it would fall between pages.
    if (attribute.schema.nullable) throw new ArgumentError(`${metadata.name}.${attribute.property} is nullable: paginateAfter orders by NOT NULL columns only`);
    if (attribute.type === "blob" || attribute.type === "json") throw new ArgumentError(`${metadata.name}.${attribute.property}: paginateAfter cannot order by a ${attribute.type} column`);
  }
  return keys;
}

/** `(c1 > v1) OR (c1 = v1 AND c2 > v2) OR ...`, with `<` for descending columns. */
function after(keys: readonly KeyColumn[], values: readonly unknown[]): Condition {
  const items: Condition[] = keys.map((k, i) => {
    const equal: Condition[] = keys.slice(0, i).map((p, j) => ({ kind: "compare", column: p.attribute.column, op: "=", value: values[j], type: p.attribute.type }));
    const beyond: Condition = { kind: "compare", column: k.attribute.column, op: k.direction === "ASC" ? ">" : "<", value: values[i], type: k.attribute.type };
    return equal.length ? { kind: "group", op: "AND", items: [...equal, beyond] } : beyond;
  });
  return items.length === 1 ? items[0]! : { kind: "group", op: "OR", items };
}

function encode(values: readonly unknown[]): string {
  const json = JSON.stringify(values.map((v) => (v instanceof Date ? v.toISOString() : typeof v === "bigint" ? v.toString() : v)));
  let binary = "";
  for (const byte of new TextEncoder().encode(json)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function decode(metadata: ModelMetadata, keys: readonly KeyColumn[], cursor: unknown): unknown[] {
  const invalid = (why: string) => new ArgumentError(`${metadata.name}: invalid paginateAfter cursor (${why})`);
  if (typeof cursor !== "string" || cursor.length > 4096 || !/^[A-Za-z0-9_-]*$/.test(cursor)) throw invalid("not a cursor this query returned");
  let raw: unknown;
  try {
    const binary = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
    raw = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
  } catch {
    throw invalid("it does not decode");
  }
  if (!Array.isArray(raw) || raw.length !== keys.length) throw invalid("it is for another order");
  return keys.map((k, i) => {
    const { type, property } = k.attribute;
    const value = raw[i];
    const decoded =
      (type === "date" || type === "datetime") && typeof value === "string" ? new Date(value) : type === "bigint" && typeof value === "string" && /^-?\d+$/.test(value) ? BigInt(value) : value;
    if (operandMismatch(type, decoded)) throw invalid(`${property} does not fit its column`);
    return decoded;
  });
}
