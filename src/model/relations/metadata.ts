/** Relations resolved against both models' metadata, once, on first use. */
import { ConfigurationError } from "../../errors.ts";
import { RELATIONS_KEY } from "../decorators.ts";
import { collectRecords, getModelMetadata, type AttributeMetadata, type ModelMetadata } from "../metadata.ts";
import { snakeCaseNaming } from "../naming.ts";
import type { RelationKind, RelationRecord } from "./decorators.ts";
import { resolveMorphMany, resolvePolymorphic } from "./polymorphic.ts";
import { resolveThrough } from "./through.ts";

export type ModelCtor = abstract new () => object;

/** A polymorphic belongsTo's allowed types: the name stored in the type column, its model and that model's key. */
export interface PolymorphicType {
  readonly name: string;
  readonly model: ModelCtor;
  readonly key: AttributeMetadata;
}

export interface Relation {
  readonly name: string;
  readonly kind: RelationKind;
  readonly owner: ModelCtor;
  readonly target: ModelCtor;
  /** The attribute on the owner the relation is keyed by (belongsTo: its foreign key; others: its key). */
  readonly ownerKey: AttributeMetadata;
  /** The attribute on the target matched against ownerKey (belongsTo: its key; has*: its foreign key; manyToMany: its key). */
  readonly targetKey: AttributeMetadata;
  readonly through?: { readonly table: string; readonly ownerColumn: string; readonly targetColumn: string };
  /** hasOne/hasMany with `as`: only target rows whose type column (`typeKey`) holds `value` (this model's name in the target's map). */
  readonly morph?: { readonly typeKey: AttributeMetadata; readonly value: string };
  /** hasManyThrough: `via` (owner -> through model) then `source` (through model -> target). */
  readonly chain?: { readonly via: Relation; readonly source: Relation };
  /**
   * belongsTo.polymorphic: the owner's type column and the allowed types by
   * name. `target`/`targetKey` are the first type's, for code that needs some
   * model; everything that reaches a table goes through `types`.
   */
  readonly polymorphic?: { readonly typeKey: AttributeMetadata; readonly types: ReadonlyMap<string, PolymorphicType> };
}

const cache = new WeakMap<object, Map<string, Relation>>();

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

export function singleKey(metadata: ModelMetadata, what: string): AttributeMetadata {
  if (metadata.primaryKey.length !== 1) {
    throw new ConfigurationError(`${what}: ${metadata.name} has a composite primary key; relations need a single-column key`);
  }
  return metadata.primaryKey[0]!;
}

/** An attribute of `meta` by property name, or a ConfigurationError naming the relation (`where`) and how to set it. */
export function lookupAttribute(where: string, meta: ModelMetadata, property: string, role: string, option = "foreignKey"): AttributeMetadata {
  const found = meta.byProperty.get(property);
  if (!found) throw new ConfigurationError(`${where}: ${role} "${property}" is not an attribute of ${meta.name} (set it with { ${option}: "..." })`);
  return found;
}

/** A relation's target model, from its thunk, checked. */
export function targetOf(where: string, thunk: () => unknown): ModelCtor {
  const target = thunk();
  if (typeof target !== "function") throw new ConfigurationError(`${where}: the relation's target thunk returned ${String(target)}`);
  return target as ModelCtor;
}

/** Relations that refer to other relations (hasManyThrough, hasMany `as`): resolved after the model's others. */
const dependent = (record: RelationRecord) => record.kind === "hasManyThrough" || record.options.as !== undefined;

function resolve(owner: ModelCtor, record: RelationRecord): Relation {
  const where = `${owner.name}.${record.property}`;
  if (record.kind === "belongsToPolymorphic") return resolvePolymorphic(owner, record);
  if (record.kind === "hasManyThrough") return resolveThrough(owner, record);
  if (record.options.as !== undefined) return resolveMorphMany(owner, record);
  const target = targetOf(where, record.target);
  const ownerMeta = getModelMetadata(owner as new () => object);
  const targetMeta = getModelMetadata(target as new () => object);
  const lookup = (meta: ModelMetadata, property: string, role: string) => lookupAttribute(where, meta, property, role);
  const base = { name: record.property, kind: record.kind, owner, target };
  const { options } = record;
  switch (record.kind) {
    case "belongsTo":
      return { ...base, ownerKey: lookup(ownerMeta, options.foreignKey ?? `${record.property}Id`, "foreign key"), targetKey: singleKey(targetMeta, where) };
    case "hasOne":
    case "hasMany":
      return {
        ...base,
        ownerKey: options.localKey ? lookup(ownerMeta, options.localKey, "local key") : singleKey(ownerMeta, where),
        targetKey: lookup(targetMeta, options.foreignKey ?? `${lowerFirst(owner.name)}Id`, "foreign key"),
      };
    case "manyToMany":
      return {
        ...base,
        ownerKey: singleKey(ownerMeta, where),
        targetKey: singleKey(targetMeta, where),
        through: {
          table: options.through ?? `${snakeCaseNaming.columnName(owner.name)}_${targetMeta.table}`,
          ownerColumn: options.foreignKey ?? snakeCaseNaming.columnName(`${lowerFirst(owner.name)}Id`),
          targetColumn: options.relatedKey ?? snakeCaseNaming.columnName(`${lowerFirst(target.name)}Id`),
        },
      };
  }
}

/** The relation records declared on `model` (and its ancestors), unresolved. */
export function relationRecords(model: ModelCtor): RelationRecord[] {
  return collectRecords<RelationRecord>(model, RELATIONS_KEY);
}

function relationsOf(model: ModelCtor): Map<string, Relation> {
  let relations = cache.get(model);
  if (relations) return relations;
  const records = relationRecords(model);
  relations = new Map(records.filter((r) => !dependent(r)).map((r) => [r.property, resolve(model, r)]));
  // Cached before the dependent ones resolve: they look up relations (this
  // model's own, or a model that points back here) that must not recurse.
  cache.set(model, relations);
  try {
    // `as` relations first: a hasManyThrough may go through one.
    for (const r of records) if (dependent(r) && r.kind !== "hasManyThrough") relations.set(r.property, resolve(model, r));
    for (const r of records) if (r.kind === "hasManyThrough") relations.set(r.property, resolve(model, r));
  } catch (error) {
    cache.delete(model);
    throw error;
  }
  // Declaration order, for serialization and error messages.
  const ordered = records.map((r) => [r.property, relations!.get(r.property)!] as const);
  relations.clear();
  for (const [name, relation] of ordered) relations.set(name, relation);
  return relations;
}

export function getRelation(model: ModelCtor, name: string): Relation {
  const relations = relationsOf(model);
  const relation = relations.get(name);
  if (!relation) {
    const known = [...relations.keys()];
    throw new ConfigurationError(`${model.name} has no relation "${name}"${known.length ? ` (known: ${known.join(", ")})` : ""}`);
  }
  return relation;
}

export function relationNames(model: ModelCtor): string[] {
  return [...relationsOf(model).keys()];
}
