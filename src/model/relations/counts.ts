/**
 * Relation aggregates as correlated subqueries: `withCount("comments")` adds
 * `(SELECT COUNT(*) FROM comments WHERE comments.post_id = posts.id) AS ...`
 * to the records' own query, so the counts come in the same round trip, one
 * statement however many records, never one query per record.
 */
import type { AggregateFunction, Condition, SelectItem, SelectQuery } from "../../query/ast.ts";
import { ConfigurationError } from "../../errors.ts";
import type { ActiveRecord } from "../active-record.ts";
import { getModelMetadata } from "../metadata.ts";
import { ModelQuery } from "../query.ts";
import type { ModelClass } from "../types.ts";
import { getRelation } from "./metadata.ts";
import { morphCondition, refusePolymorphic } from "./polymorphic.ts";
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
