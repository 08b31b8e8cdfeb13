/** Relations resolved against both models' metadata, once, on first use. */
import { ConfigurationError } from "../../errors.ts";
import { RELATIONS_KEY } from "../decorators.ts";
import { collectRecords, getModelMetadata, type AttributeMetadata, type ModelMetadata } from "../metadata.ts";
import { snakeCaseNaming } from "../naming.ts";
import type { RelationKind, RelationRecord } from "./decorators.ts";

type ModelCtor = abstract new () => object;

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
}

const cache = new WeakMap<object, Map<string, Relation>>();

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

function singleKey(metadata: ModelMetadata, what: string): AttributeMetadata {
  if (metadata.primaryKey.length !== 1) {
    throw new ConfigurationError(`${what}: ${metadata.name} has a composite primary key; relations need a single-column key`);
  }
  return metadata.primaryKey[0]!;
}

function resolve(owner: ModelCtor, record: RelationRecord): Relation {
  const where = `${owner.name}.${record.property}`;
  const target = record.target();
  if (typeof target !== "function") throw new ConfigurationError(`${where}: the relation's target thunk returned ${String(target)}`);
  const ownerMeta = getModelMetadata(owner as new () => object);
  const targetMeta = getModelMetadata(target as new () => object);
  const lookup = (meta: ModelMetadata, property: string, role: string): AttributeMetadata => {
    const found = meta.byProperty.get(property);
    if (!found) {
      throw new ConfigurationError(`${where}: ${role} "${property}" is not an attribute of ${meta.name} (set it with { foreignKey: "..." })`);
    }
    return found;
  };
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

function relationsOf(model: ModelCtor): Map<string, Relation> {
  let relations = cache.get(model);
  if (!relations) {
    relations = new Map(collectRecords<RelationRecord>(model, RELATIONS_KEY).map((r) => [r.property, resolve(model, r)]));
    cache.set(model, relations);
  }
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
