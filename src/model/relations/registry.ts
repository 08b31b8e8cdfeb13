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
import type { Condition } from "../../query/ast.ts";
import { ConfigurationError } from "../../errors.ts";

/** Relation paths to load, as a tree: `posts.comments` is posts -> comments. */
export type PathTree = Map<string, PathTree>;

type Model = object & { readonly name: string };

export interface RelationSupport {
  eagerLoad(model: object, records: readonly object[], tree: PathTree): Promise<void>;
  hasRelatedCondition(model: object, name: string, filter: unknown, negate: boolean): Condition;
  relatedQuery(owner: object, name: string): unknown;
  relationNames(model: object): string[];
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

export function parsePaths(paths: readonly string[], tree: PathTree = new Map()): PathTree {
  for (const path of paths) {
    let node = tree;
    for (const part of path.split(".")) {
      if (!part) throw new TypeError(`invalid relation path "${path}"`);
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

/** `record.related(name)`: a RelatedQuery. */
export function relatedQuery(owner: object, name: string): unknown {
  if (support) return support.relatedQuery(owner, name);
  throw noRelation(owner.constructor as Model, name);
}

/** The names of a model's relations (none when no relation is declared anywhere). */
export function relationNames(model: object): string[] {
  return support ? support.relationNames(model) : [];
}
