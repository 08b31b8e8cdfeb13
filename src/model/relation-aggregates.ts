/**
 * `withCount`, `withExists`, `withSum`, `withAvg`, `withMin`, `withMax`: the
 * query asks for a correlated subquery per relation (relations/counts.ts)
 * and each record gets the value as a property, `commentsCount`,
 * `commentsExists`, `ordersTotalSum`..., typed on the query's records.
 */
import type { QueryResult } from "../backend/backend.ts";
import type { ValueMapper } from "../dialect/dialect.ts";
import type { SelectItem } from "../query/ast.ts";
import { ArgumentError } from "../errors.ts";
import { getModelMetadata } from "./metadata.ts";
import { relationAggregate, relationTargetOf } from "./relations/registry.ts";

export type AggregateKind = "Count" | "Exists" | "Sum" | "Avg" | "Min" | "Max";

/** One extra value per record: the select item that computes it and how the record receives it. */
export interface RelationExtra {
  readonly item: SelectItem;
  readonly alias: string;
  readonly property: string;
  readonly read: (raw: unknown, values: ValueMapper) => unknown;
}

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** The property name a record gets: `commentsCount`, `ordersTotalSum`. */
export function extraProperty(relation: string, kind: AggregateKind, attribute?: string): string {
  return attribute === undefined ? `${relation}${kind}` : `${relation}${capitalize(attribute)}${kind}`;
}

export function relationExtra(model: object & { name: string }, index: number, relation: unknown, kind: AggregateKind, attribute: unknown, filter: unknown): RelationExtra {
  if (typeof relation !== "string") throw new ArgumentError(`${model.name}.with${kind}() takes a relation name, got ${typeof relation}`);
  if (attribute !== undefined && typeof attribute !== "string") throw new ArgumentError(`${model.name}.with${kind}() takes an attribute name, got ${typeof attribute}`);
  const needsAttribute = kind !== "Count" && kind !== "Exists";
  if (needsAttribute !== (attribute !== undefined)) throw new ArgumentError(`${model.name}.with${kind}("${relation}"${needsAttribute ? ", attribute" : ""}): ${needsAttribute ? "name the attribute" : "takes no attribute"}`);
  // Aliases are ours, never the user's: no attribute name can collide with them.
  const alias = `__er_${index}`;
  const fn = kind === "Exists" ? "EXISTS" : kind.toUpperCase();
  const item = relationAggregate(model, relation, { fn, ...(attribute === undefined ? {} : { attribute }), ...(filter === undefined ? {} : { filter }) }, alias);
  return { item, alias, property: extraProperty(relation, kind, attribute as string | undefined), read: reader(model, relation, kind, attribute as string | undefined) };
}

function reader(model: object & { name: string }, relation: string, kind: AggregateKind, attribute: string | undefined): RelationExtra["read"] {
  if (kind === "Count") return (raw) => (raw === null || raw === undefined ? 0 : Number(raw));
  if (kind === "Exists") return (raw) => raw === true || raw === 1 || raw === 1n || raw === "1";
  if (kind === "Sum" || kind === "Avg") return (raw) => (raw === null || raw === undefined ? null : Number(raw));
  // MIN and MAX come back in the related attribute's type.
  const type = getModelMetadata(relationTargetOf(model, relation) as new () => object).attribute(attribute!).type;
  return (raw, values) => (raw === null || raw === undefined ? null : values.fromDatabase(type, raw));
}

/** Copies each extra value from the result rows onto the records (same order). */
export function applyExtras(records: readonly object[], result: QueryResult, extras: readonly RelationExtra[], values: ValueMapper): void {
  if (result.values) {
    const { columns, rows } = result.values;
    const positions = extras.map((e) => columns.indexOf(e.alias));
    rows.forEach((row, r) => {
      const record = records[r] as Record<string, unknown>;
      extras.forEach((e, i) => (record[e.property] = e.read(row[positions[i]!], values)));
    });
    return;
  }
  result.rows.forEach((row, r) => {
    const record = records[r] as Record<string, unknown>;
    for (const e of extras) record[e.property] = e.read(row[e.alias], values);
  });
}
