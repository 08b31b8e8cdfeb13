/**
 * The seam between the model layer and the relation machinery (metadata,
 * eager loading, related queries, joins along relations, relation
 * aggregates). ActiveRecord and ModelQuery reach relations only through
 * here; the relation decorators install the machinery when they are called.
 * An app that declares no relation therefore bundles none of it ("pay for
 * what you use"): a module-level install would run on import and defeat
 * tree-shaking. Without any relation declared, every relation name is
 * unknown, and the answers below say so exactly as the machinery itself
 * would, after the same argument checks (those stay here, so the order of
 * errors is the same either way).
 */
import type { QueryResult } from "../../backend/backend.ts";
import type { ValueMapper } from "../../dialect/dialect.ts";
import type { Condition, Join, SelectItem } from "../../query/ast.ts";
import type { ColumnType, TableSchema } from "../../schema/column.ts";
import { ArgumentError, ConfigurationError } from "../../errors.ts";
import { show } from "../../show.ts";

/** Relation paths to load, as a tree: `posts.comments` is posts -> comments. */
export type PathTree = Map<string, PathTree>;

type Model = object & { readonly name: string };

/** A relation joined into a query: by `join` (inner), `leftJoin`, or implicitly (left) by a "relation.attribute" name. */
export interface JoinSpec {
  readonly relation: string;
  readonly left: boolean;
  readonly implicit?: boolean;
}

/** A column of a joined model, qualified by its table. */
export interface JoinedColumn {
  readonly table: string;
  readonly column: string;
  readonly type: ColumnType;
}

/** What `withCount` and its kin compute: `<relation>Count`, `<relation><Attribute>Sum`... */
export type AggregateKind = "Count" | "Exists" | "Sum" | "Avg" | "Min" | "Max";

/** One extra value per record (withCount and its kin): the select item that computes it and how the record receives it. */
export interface RelationExtra {
  readonly item: SelectItem;
  readonly alias: string;
  readonly property: string;
  readonly read: (raw: unknown, values: ValueMapper) => unknown;
}

export interface RelationSupport {
  eagerLoad(model: object, records: readonly object[], tree: PathTree): Promise<void>;
  hasRelatedCondition(model: object, name: string, filter: unknown, negate: boolean): Condition;
  relatedQuery(owner: object, name: string): unknown;
  relationNames(model: object): string[];
  /** The join tables of a model's manyToMany relations. */
  joinTables(model: object): TableSchema[];
  /** Adds one path (checked parts) to `tree`, each name checked against its model (past a polymorphic relation, against every type). */
  addPath(model: Model, parts: readonly string[], tree: PathTree): void;
  /** `joins` plus a join along `relation`; throws naming the model when it has no such relation. */
  addJoin(model: Model, joins: readonly JoinSpec[] | undefined, relation: string, left: boolean): JoinSpec[];
  /** `relation.attribute` as a joined column; `joins` (the caller's copy) gets the implicit join it needs. */
  resolveJoined(model: Model, joins: JoinSpec[], relation: string, attribute: string): JoinedColumn;
  /** The query description's joins for `specs`. */
  joinClauses(model: Model, specs: readonly JoinSpec[]): Join[];
  /** A correlated aggregate of a relation's rows (`(SELECT COUNT(*) ...) AS alias`) and how a record receives it. */
  relationExtra(model: Model, index: number, relation: string, kind: AggregateKind, attribute: string | undefined, filter: unknown): RelationExtra;
  /** Copies each extra value from the result rows onto the records (same order). */
  applyExtras(records: readonly object[], result: QueryResult, extras: readonly RelationExtra[], values: ValueMapper): void;
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
    if (!support) throw noRelation(model, parts[0]!);
    support.addPath(model, parts, tree);
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

/** The join tables of `model`'s manyToMany relations (none without relations). */
export function joinTablesOf(model: object): TableSchema[] {
  return support ? support.joinTables(model) : [];
}

/** `join`/`leftJoin(relation)`: `joins` plus that relation (an explicit join replaces an implicit one). */
export function addJoin(model: Model, joins: readonly JoinSpec[] | undefined, relation: unknown, left: boolean): JoinSpec[] {
  const method = left ? "leftJoin" : "join";
  if (typeof relation !== "string") throw new ArgumentError(`${model.name}.${method}() takes a relation name, got ${show(relation)}`);
  if (relation.includes(".")) throw new ArgumentError(`${model.name}.${method}("${relation}"): join one relation of ${model.name} at a time; nested paths are not supported`);
  if (support) return support.addJoin(model, joins, relation, left);
  throw noRelation(model, relation);
}

/**
 * Resolves "relation.attribute" against the related model; `joins` (a copy
 * the caller owns) gets the implicit join a belongsTo/hasOne path needs.
 */
export function resolveJoined(model: Model, joins: JoinSpec[], name: string): JoinedColumn {
  const parts = name.split(".");
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw new ArgumentError(`${model.name}: "${name}" is not "relation.attribute" (one relation deep)`);
  if (support) return support.resolveJoined(model, joins, parts[0], parts[1]);
  throw noRelation(model, parts[0]);
}

/** The query description's joins for `specs` (a joined model's soft-delete filter in its ON clause). */
export function joinClauses(model: Model, specs: readonly JoinSpec[]): Join[] {
  if (support) return support.joinClauses(model, specs);
  throw noRelation(model, specs[0]!.relation);
}

/** `withCount(relation)` and its kin: the extra value's subquery and reader, once the arguments are checked. */
export function relationExtra(model: Model, index: number, relation: unknown, kind: AggregateKind, attribute: unknown, filter: unknown): RelationExtra {
  if (typeof relation !== "string") throw new ArgumentError(`${model.name}.with${kind}() takes a relation name, got ${typeof relation}`);
  if (attribute !== undefined && typeof attribute !== "string") throw new ArgumentError(`${model.name}.with${kind}() takes an attribute name, got ${typeof attribute}`);
  const needsAttribute = kind !== "Count" && kind !== "Exists";
  if (needsAttribute !== (attribute !== undefined)) throw new ArgumentError(`${model.name}.with${kind}("${relation}"${needsAttribute ? ", attribute" : ""}): ${needsAttribute ? "name the attribute" : "takes no attribute"}`);
  if (support) return support.relationExtra(model, index, relation, kind, attribute, filter);
  throw noRelation(model, relation);
}

/** Copies each extra value from the result rows onto the records; extras exist only where the machinery made them. */
export function applyExtras(records: readonly object[], result: QueryResult, extras: readonly RelationExtra[], values: ValueMapper): void {
  support?.applyExtras(records, result, extras, values);
}
