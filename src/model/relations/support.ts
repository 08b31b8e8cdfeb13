/**
 * The relation machinery as one object, for the registry. Only the relation
 * decorators import this module, so a bundle without relations leaves it out,
 * and with it everything below: eager loading, related queries, joins along
 * relations and relation aggregates (withCount and its kin).
 */
import { eagerLoad } from "./loader.ts";
import { getRelation, relationNames } from "./metadata.ts";
import { applyExtras, relationExtra } from "./counts.ts";
import type { RelationSupport } from "./registry.ts";
import { addJoin, joinClauses, resolveJoined } from "./joins.ts";
import { joinTables } from "./join-tables.ts";
import { hasRelatedCondition, RelatedQuery, type RelatedFilter } from "./related.ts";
import type { ActiveRecord } from "../active-record.ts";

export const relationSupport: RelationSupport = {
  eagerLoad,
  hasRelatedCondition: (model, name, filter, negate) => hasRelatedCondition(model, name, filter as RelatedFilter<ActiveRecord> | undefined, negate),
  relatedQuery: (owner, name) => new RelatedQuery(owner as ActiveRecord, name),
  relationNames: (model) => relationNames(model as abstract new () => object),
  joinTables,
  relationTargets: (model, name) => {
    const relation = getRelation(model as abstract new () => object, name);
    return relation.polymorphic ? [...relation.polymorphic.types.values()].map((t) => t.model) : [relation.target];
  },
  addJoin: (model, joins, relation, left) => addJoin(model, joins, relation, left),
  resolveJoined,
  joinClauses,
  relationExtra,
  applyExtras,
};
