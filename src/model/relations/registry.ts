/**
 * The seam between the model layer and the relation machinery (metadata,
 * eager loading, related queries). ActiveRecord and ModelQuery reach
 * relations only through here; the relation decorators install the machinery
 * when they are called. An app that declares no relation therefore bundles
 * none of it ("pay for what you use"): a module-level install would run on
 * import and defeat tree-shaking. Without any relation declared, every
 * relation name is unknown, and the answers below say so exactly as the
 * machinery itself would.
 */
import type { Condition, Join, SelectItem } from "../../query/ast.ts";
import type { TableSchema } from "../../schema/column.ts";
import { ArgumentError, ConfigurationError } from "../../errors.ts";

/** Relation paths to load, as a tree: `posts.comments` is posts -> comments. */
export type PathTree = Map<string, PathTree>;

type Model = object & { readonly name: string };

export interface RelationSupport {
  eagerLoad(model: object, records: readonly object[], tree: PathTree): Promise<void>;
  hasRelatedCondition(model: object, name: string, filter: unknown, negate: boolean): Condition;
  relatedQuery(owner: object, name: string): unknown;
  relationNames(model: object): string[];
  /** `(SELECT COUNT(*) ...) AS alias` and the like, correlated with the owner's rows. */
  relationAggregate(model: object, name: string, spec: { fn: string; attribute?: string; filter?: unknown }, alias: string): SelectItem;
  /** The joins along a relation, its kind and target; throws naming the model when it has no such relation. */
  relationJoin(model: object, name: string): { readonly kind: string; readonly target: object; readonly joins: readonly Join[] };
  /** The join tables of a model's manyToMany relations. */
  joinTables(model: object): TableSchema[];
  /** The model a relation points at; throws naming the model when it has no such relation, or when it may point at several (polymorphic). */
  relationTarget(model: object, name: string): object;
  /** Every model a relation may point at: one, or each type of a polymorphic belongsTo. */
  relationTargets(model: object, name: string): readonly object[];
}

let support: RelationSupport | undefined;

/** Called by the relation decorators (see decorators.ts); idempotent. */
export function installRelations(machinery: RelationSupport): void {
  support = machinery;
}

/** The same error `getRelation` gives for a model without relations. */
function noRelation(model: Model, name: string): ConfigurationError {
  return new ConfigurationError(`${model.name} has no relation "${name}"`);
}

/**
 * Relation paths (`"author"`, `"posts.comments"`) as a tree, each name checked
 * against its model before any SQL runs: a typo fails at once, even when the
 * query would find no record.
 */
export function parsePaths(model: Model, paths: readonly unknown[], tree: PathTree = new Map()): PathTree {
  for (const path of paths) {
    if (typeof path !== "string") throw new ArgumentError(`${model.name}: a relation path is a string such as "author" or "posts.comments", got ${typeof path}`);
    const parts = path.split(".");
    if (parts.includes("")) throw new ArgumentError(`${model.name}: invalid relation path "${path}"`);
    let node = tree;
    // Several owners past a polymorphic relation: the rest of the path must hold for every type.
    let owners: readonly Model[] = [model];
    for (const part of parts) {
      if (!support) throw noRelation(model, part);
      const machinery = support;
      owners = [...new Set(owners.flatMap((owner) => machinery.relationTargets(owner, part) as Model[]))];
      let child = node.get(part);
      if (!child) node.set(part, (child = new Map()));
      node = child;
    }
  }
  return tree;
}

/** Loads the relations in `tree` into `records` (all of one model). */
export async function eagerLoad(model: Model, records: readonly object[], tree: PathTree): Promise<void> {
  if (support) return support.eagerLoad(model, records, tree);
  const [first] = tree.keys();
  if (records.length && first !== undefined) throw noRelation(model, first);
}

/** `key IN (SELECT ...)` for whereHas / whereDoesntHave. */
export function hasRelatedCondition(model: Model, name: string, filter: unknown, negate: boolean): Condition {
  if (support) return support.hasRelatedCondition(model, name, filter, negate);
  throw noRelation(model, name);
}

/** The model a relation of `model` points at. */
export function relationTargetOf(model: Model, name: string): object {
  if (support) return support.relationTarget(model, name);
  throw noRelation(model, name);
}

/** The joins along a relation of `model` (see relations/joins.ts). */
export function relationJoinOf(model: Model, name: string): { readonly kind: string; readonly target: object; readonly joins: readonly Join[] } {
  if (support) return support.relationJoin(model, name);
  throw noRelation(model, name);
}

/** A correlated aggregate of a relation's rows, for `withCount` and its kin. */
export function relationAggregate(model: Model, name: string, spec: { fn: string; attribute?: string; filter?: unknown }, alias: string): SelectItem {
  if (support) return support.relationAggregate(model, name, spec, alias);
  throw noRelation(model, name);
}

/** `record.related(name)`: a RelatedQuery. */
export function relatedQuery(owner: object, name: string): unknown {
  if (support) return support.relatedQuery(owner, name);
  throw noRelation(owner.constructor as Model, name);
}

/** The names of a model's relations (none when no relation is declared anywhere). */
export function relationNames(model: object): string[] {
  return support ? support.relationNames(model) : [];
}

/** The join tables of `model`'s manyToMany relations (none without relations). */
export function joinTablesOf(model: object): TableSchema[] {
  return support ? support.joinTables(model) : [];
}
