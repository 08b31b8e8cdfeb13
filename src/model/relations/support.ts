/**
 * The relation machinery as one object, for the registry. Only the relation
 * decorators import this module, so a bundle without relations leaves it out,
 * and with it everything below: eager loading, related queries, joins along
 * relations and relation aggregates (withCount and its kin).
 */
import { eagerLoad } from "./loader.ts";
import { getRelation, relationNames } from "./metadata.ts";
import { applyExtras, relationExtra } from "./counts.ts";
import type { PathTree, RelationSupport } from "./registry.ts";
import { addJoin, joinClauses, resolveJoined } from "./joins.ts";
import { joinTables } from "./join-tables.ts";
import { hasRelatedCondition, RelatedQuery, type RelatedFilter } from "./related.ts";
import type { ActiveRecord } from "../active-record.ts";

/** Every model a relation may point at: one, or each type of a polymorphic belongsTo. */
function relationTargets(model: object, name: string): readonly object[] {
  const relation = getRelation(model as abstract new () => object, name);
  return relation.polymorphic ? [...relation.polymorphic.types.values()].map((t) => t.model) : [relation.target];
}

/** `parts` into `tree`, each name checked against its model first: a typo fails at once, even when the query would find no record. */
function addPath(model: object, parts: readonly string[], tree: PathTree): void {
  let node = tree;
  // Several owners past a polymorphic relation: the rest of the path must hold for every type.
  let owners: readonly object[] = [model];
  for (const part of parts) {
    owners = [...new Set(owners.flatMap((owner) => relationTargets(owner, part)))];
    let child = node.get(part);
    if (!child) node.set(part, (child = new Map()));
    node = child;
  }
}

export const relationSupport: RelationSupport = {
  eagerLoad,
  hasRelatedCondition: (model, name, filter, negate) => hasRelatedCondition(model, name, filter as RelatedFilter<ActiveRecord> | undefined, negate),
  relatedQuery: (owner, name) => new RelatedQuery(owner as ActiveRecord, name),
  relationNames: (model) => relationNames(model as abstract new () => object),
  joinTables,
  addPath,
  addJoin: (model, joins, relation, left) => addJoin(model, joins, relation, left),
  resolveJoined,
  joinClauses,
  relationExtra,
  applyExtras,
};
