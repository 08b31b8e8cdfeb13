/**
 * Polymorphic relations: a Comment belongs to a Post or a Video, named by a
 * type column (`commentableType`) next to the key column (`commentableId`).
 *
 * The type names a row may hold are an explicit map in the model's metadata
 * (`{ post: () => Post, video: () => Video }`). A stored or submitted type
 * value is only ever looked up in that map, so it can never choose another
 * class or table; a value outside it is an error naming the model, the
 * column and the value.
 */
import { ConfigurationError } from "../../errors.ts";
import type { Condition } from "../../query/ast.ts";
import { show } from "../../show.ts";
import type { ActiveRecord } from "../active-record.ts";
import { getModelMetadata } from "../metadata.ts";
import { ModelQuery } from "../query.ts";
import type { ModelClass } from "../types.ts";
import { keyChunks } from "./chunks.ts";
import type { RelationRecord } from "./decorators.ts";
import { keyOf, uniqueKeys } from "./keys.ts";
import { getRelation, lookupAttribute, singleKey, targetOf, type ModelCtor, type PolymorphicType, type Relation } from "./metadata.ts";
import type { PathTree } from "./registry.ts";

type Records = Record<string, unknown>[];

/** `@belongsTo.polymorphic({...})`: the key and type columns on the owner, and each allowed type's model and key. */
export function resolvePolymorphic(owner: ModelCtor, record: RelationRecord): Relation {
  const where = `${owner.name}.${record.property}`;
  if (!record.types) throw new ConfigurationError(`${where}: a polymorphic belongsTo needs its map of types: @belongsTo.polymorphic({ post: () => Post })`);
  const ownerMeta = getModelMetadata(owner as new () => object);
  const types = new Map<string, PolymorphicType>();
  for (const [name, thunk] of Object.entries(record.types)) {
    const model = targetOf(`${where} (type "${name}")`, thunk);
    types.set(name, { name, model, key: singleKey(getModelMetadata(model as new () => object), where) });
  }
  const first = types.values().next().value!;
  const { foreignKey, typeKey } = record.options;
  return {
    name: record.property,
    kind: "belongsToPolymorphic",
    owner,
    target: first.model,
    ownerKey: lookupAttribute(where, ownerMeta, foreignKey ?? `${record.property}Id`, "foreign key"),
    targetKey: first.key,
    polymorphic: { typeKey: lookupAttribute(where, ownerMeta, typeKey ?? `${record.property}Type`, "type column", "typeKey"), types },
  };
}

/**
 * `@hasMany(() => Comment, { as: "commentable" })`: keyed by the target's
 * polymorphic key column, restricted to the rows whose type column holds the
 * name this model has in the target's map.
 */
export function resolveMorphMany(owner: ModelCtor, record: RelationRecord): Relation {
  const where = `${owner.name}.${record.property}`;
  const as = record.options.as!;
  const target = targetOf(where, record.target);
  let other: Relation;
  try {
    other = getRelation(target, as);
  } catch (error) {
    throw new ConfigurationError(`${where}: { as: "${as}" } must name a @belongsTo.polymorphic relation of ${target.name}: ${(error as Error).message}`, { cause: error });
  }
  if (!other.polymorphic) {
    throw new ConfigurationError(`${where}: { as: "${as}" } must name a @belongsTo.polymorphic relation of ${target.name}; ${target.name}.${as} is ${other.kind}`);
  }
  const names = [...other.polymorphic.types.values()].filter((t) => t.model === owner).map((t) => t.name);
  if (names.length !== 1) {
    const fix = names.length === 0 ? `add ${owner.name} to its types map` : `it lists ${owner.name} as ${names.join(" and ")}; keep one name`;
    throw new ConfigurationError(`${where}: ${target.name}.${as} must list ${owner.name} exactly once among its types (${fix})`);
  }
  const ownerMeta = getModelMetadata(owner as new () => object);
  const { localKey } = record.options;
  return {
    name: record.property,
    kind: record.kind,
    owner,
    target,
    ownerKey: localKey ? lookupAttribute(where, ownerMeta, localKey, "local key", "localKey") : singleKey(ownerMeta, where),
    targetKey: other.ownerKey,
    morph: { typeKey: other.polymorphic.typeKey, value: names[0]! },
  };
}

/** A hasMany/hasOne `as` relation's `type = '<name>'` condition on the target (qualified with `table` where joined). */
export function morphCondition(relation: Relation, table?: string): Condition | undefined {
  const morph = relation.morph;
  if (!morph) return undefined;
  return { kind: "compare", ...(table ? { table } : {}), column: morph.typeKey.column, op: "=", value: morph.value, type: morph.typeKey.type };
}

/** The allowed type a stored type value names: only a string key of the map; anything else is an error naming model, column and value. */
export function polymorphicType(relation: Relation, value: unknown): PolymorphicType {
  const { typeKey, types } = relation.polymorphic!;
  const found = typeof value === "string" ? types.get(value) : undefined;
  if (!found) {
    throw new ConfigurationError(
      `${relation.owner.name}.${relation.name}: ${typeKey.property} is ${show(value)}, which is not one of its types (${[...types.keys()].join(", ")})`,
    );
  }
  return found;
}

/** The type name a record of `model` is stored under, or an error naming the allowed types. */
export function polymorphicName(relation: Relation, model: object): string {
  for (const type of relation.polymorphic!.types.values()) if (type.model === model) return type.name;
  const name = (model as { name?: string }).name ?? "this model";
  throw new ConfigurationError(`${relation.owner.name}.${relation.name}: a ${name} is not one of its types (${[...relation.polymorphic!.types.keys()].join(", ")})`);
}

/** The refusal where a single target table is needed (joins, whereHas, withCount). */
export function refusePolymorphic(relation: Relation, what: string): void {
  if (!relation.polymorphic) return;
  throw new ConfigurationError(
    `${relation.owner.name}.${relation.name} is a polymorphic belongsTo: its table depends on each row's ${relation.polymorphic.typeKey.property}, so ${what} cannot follow it (with(), load() and related() can)`,
  );
}

/**
 * Eager loading of a polymorphic belongsTo: the records grouped by type, one
 * query per type present (never per record), each type's nested paths loaded
 * into that type's records. Every type value is checked before any query.
 */
export async function loadPolymorphic(
  relation: Relation,
  records: Records,
  children: PathTree,
  loadChildren: (model: object, records: readonly object[], tree: PathTree) => Promise<void>,
): Promise<void> {
  const { name, ownerKey } = relation;
  const { typeKey } = relation.polymorphic!;
  const groups = new Map<PolymorphicType, Records>();
  for (const record of records) {
    record[name] = null;
    const type = record[typeKey.property];
    if (type === null || type === undefined || record[ownerKey.property] === null || record[ownerKey.property] === undefined) continue;
    const found = polymorphicType(relation, type);
    let group = groups.get(found);
    if (!group) groups.set(found, (group = []));
    group.push(record);
  }
  for (const [type, group] of groups) {
    const target = type.model as ModelClass<ActiveRecord>;
    const keys = uniqueKeys(group.map((r) => r[ownerKey.property]));
    const found: Records = [];
    for (const chunk of keyChunks(target, type.key.type, keys)) {
      const query = new ModelQuery(target).whereCondition({ kind: "in", column: type.key.column, values: chunk, negate: false, type: type.key.type });
      for (const row of (await query.all()) as unknown as Records) found.push(row);
    }
    const byKey = new Map(found.map((r) => [keyOf(r[type.key.property]), r]));
    for (const record of group) record[name] = byKey.get(keyOf(record[ownerKey.property])) ?? null;
    if (children.size) await loadChildren(target, found, children);
  }
}
