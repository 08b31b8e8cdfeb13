/**
 * The relation machinery as one object, for the registry. Only the relation
 * decorators import this module, so a bundle without relations leaves it out.
 */
import { eagerLoad } from "./loader.ts";
import { getRelation, relationNames } from "./metadata.ts";
import { relationAggregateItem, type RelationAggregate } from "./counts.ts";
import type { RelationSupport } from "./registry.ts";
import { relationJoin } from "./joins.ts";
import { refusePolymorphic } from "./polymorphic.ts";
import { joinTables } from "./join-tables.ts";
import { hasRelatedCondition, RelatedQuery, type RelatedFilter } from "./related.ts";
import type { ActiveRecord } from "../active-record.ts";

export const relationSupport: RelationSupport = {
  eagerLoad,
  hasRelatedCondition: (model, name, filter, negate) => hasRelatedCondition(model, name, filter as RelatedFilter<ActiveRecord> | undefined, negate),
  relatedQuery: (owner, name) => new RelatedQuery(owner as ActiveRecord, name),
  relationNames: (model) => relationNames(model as abstract new () => object),
  relationJoin,
  joinTables,
  relationTarget: (model, name) => {
    const relation = getRelation(model as abstract new () => object, name);
    refusePolymorphic(relation, "a single-table operation");
    return relation.target;
  },
  relationTargets: (model, name) => {
    const relation = getRelation(model as abstract new () => object, name);
    return relation.polymorphic ? [...relation.polymorphic.types.values()].map((t) => t.model) : [relation.target];
  },
  relationAggregate: (model, name, spec, alias) => relationAggregateItem(model, name, spec as RelationAggregate, alias),
};
