/**
 * Relation aggregates as correlated subqueries: `withCount("comments")` adds
 * `(SELECT COUNT(*) FROM comments WHERE comments.post_id = posts.id) AS ...`
 * to the records' own query, so the counts come in the same round trip, one
 * statement however many records, never one query per record. Each record
 * then gets the value as a property, `commentsCount`, `commentsExists`,
 * `ordersTotalSum`... (typed on ModelQuery's `withCount` and its kin, which
 * reach this module through the registry once it has checked the arguments).
 */
import type { QueryResult } from "../../backend/backend.ts";
import type { ValueMapper } from "../../dialect/dialect.ts";
import type { AggregateFunction, Condition, SelectItem, SelectQuery } from "../../query/ast.ts";
import { ConfigurationError } from "../../errors.ts";
import type { ActiveRecord } from "../active-record.ts";
import { getModelMetadata } from "../metadata.ts";
import { ModelQuery } from "../query.ts";
import type { ModelClass } from "../types.ts";
import { getRelation } from "./metadata.ts";
import { morphCondition, refusePolymorphic } from "./polymorphic.ts";
import type { AggregateKind, RelationExtra } from "./registry.ts";
import type { RelatedFilter } from "./related.ts";
import { correlatedMatch, throughCondition } from "./through.ts";

/** What to compute over the related rows: a count, whether any exists, or an aggregate of one attribute. */
export interface RelationAggregate {
  readonly fn: AggregateFunction | "EXISTS";
  /** The related model's attribute, for SUM/AVG/MIN/MAX. */
  readonly attribute?: string;
  readonly filter?: RelatedFilter<ActiveRecord>;
}

export function relationAggregateItem(model: object, name: string, spec: RelationAggregate, alias: string): SelectItem {
  const relation = getRelation(model as ModelClass<ActiveRecord>, name);
  refusePolymorphic(relation, "withCount() and its kin");
  const owner = getModelMetadata(model as ModelClass<ActiveRecord>);
  const target = relation.target as ModelClass<ActiveRecord>;
  const targetMeta = getModelMetadata(target);
  if (targetMeta.table === owner.table) {
    throw new ConfigurationError(`${owner.name}.${name}: counting a relation to the same table needs table aliases, which are not supported yet`);
  }
  if (relation.chain && getModelMetadata(relation.chain.via.target as ModelClass<ActiveRecord>).table === owner.table) {
    throw new ConfigurationError(`${owner.name}.${name}: counting through the model's own table needs table aliases, which are not supported yet`);
  }
  let query = new ModelQuery(target);
  const morph = morphCondition(relation);
  if (morph) query = query.whereCondition(morph);
  // Through: `target.fk IN (SELECT mid.key FROM mid WHERE mid.fk = owner.key)`, so a target reached twice counts once.
  if (relation.chain) query = query.whereCondition(throughCondition(relation, correlatedMatch(relation)));
  if (typeof spec.filter === "function") query = spec.filter(query);
  else if (spec.filter) query = query.where(spec.filter);
  const { orderBy: _o, limit: _l, offset: _f, columns: _c, ...related } = query.toQuery();
  const { ownerKey, targetKey, through } = relation;
  const outer = { table: owner.table, column: ownerKey.column };
  // hasOne/hasMany/belongsTo: target.targetKey = owner.ownerKey; manyToMany: through the join table.
  const correlate: Condition | undefined = relation.chain
    ? undefined
    : through
    ? { kind: "columnsEqual", left: { table: through.table, column: through.ownerColumn }, right: outer }
    : { kind: "columnsEqual", left: { table: targetMeta.table, column: targetKey.column }, right: outer };
  const where: Condition = !correlate ? related.where! : related.where ? { kind: "group", op: "AND", items: [correlate, related.where] } : correlate;
  const column = spec.attribute === undefined ? null : targetMeta.attribute(spec.attribute).column;
  const inner: SelectQuery = {
    ...related,
    columns: spec.fn === "EXISTS" ? [{ kind: "column", table: targetMeta.table, column: targetKey.column }] : [{ kind: "aggregate", fn: spec.fn, column, alias: "value" }],
    where,
    ...(through ? { joins: [{ table: through.table, column: through.targetColumn, otherTable: targetMeta.table, otherColumn: targetKey.column }] } : {}),
  };
  return { kind: "subquery", query: inner, alias, ...(spec.fn === "EXISTS" ? { exists: true } : {}) };
}

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** The property name a record gets: `commentsCount`, `ordersTotalSum`. */
export function extraProperty(relation: string, kind: AggregateKind, attribute?: string): string {
  return attribute === undefined ? `${relation}${kind}` : `${relation}${capitalize(attribute)}${kind}`;
}

/** One extra value per record (arguments already checked by the registry): its correlated subquery, alias, property and reader. */
export function relationExtra(model: object & { name: string }, index: number, relation: string, kind: AggregateKind, attribute: string | undefined, filter: unknown): RelationExtra {
  // Aliases are ours, never the user's: no attribute name can collide with them.
  const alias = `__er_${index}`;
  const fn = kind === "Exists" ? "EXISTS" : (kind.toUpperCase() as AggregateFunction);
  const item = relationAggregateItem(model, relation, { fn, ...(attribute === undefined ? {} : { attribute }), ...(filter === undefined ? {} : { filter: filter as RelatedFilter<ActiveRecord> }) }, alias);
  return { item, alias, property: extraProperty(relation, kind, attribute), read: reader(model, relation, kind, attribute) };
}

function reader(model: object, relation: string, kind: AggregateKind, attribute: string | undefined): RelationExtra["read"] {
  if (kind === "Count") return (raw) => (raw === null || raw === undefined ? 0 : Number(raw));
  if (kind === "Exists") return (raw) => raw === true || raw === 1 || raw === 1n || raw === "1";
  if (kind === "Sum" || kind === "Avg") return (raw) => (raw === null || raw === undefined ? null : Number(raw));
  // MIN and MAX come back in the related attribute's type.
  const type = getModelMetadata(getRelation(model as ModelClass<ActiveRecord>, relation).target as ModelClass<ActiveRecord>).attribute(attribute!).type;
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
