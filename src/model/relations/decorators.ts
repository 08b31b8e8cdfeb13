/**
 * Relation decorators. The target is a thunk (`() => User`) because models
 * usually refer to each other before both classes exist.
 */
import { fieldRecorder, RELATIONS_KEY, type FieldDecorator } from "../decorators.ts";
import { installRelations } from "./registry.ts";
import { relationSupport } from "./support.ts";
import { ConfigurationError } from "../../errors.ts";

export type RelationKind = "belongsTo" | "hasOne" | "hasMany" | "manyToMany" | "hasManyThrough" | "belongsToPolymorphic";

/** Options of `@belongsTo`, `@hasOne` and `@hasMany`. */
export interface RelationOptions {
  /**
   * belongsTo: the attribute on this model holding the target's key (default `<relation>Id`).
   * hasOne / hasMany: the attribute on the target holding this model's key (default `<thisModel>Id`).
   */
  readonly foreignKey?: string;
  /** hasOne / hasMany: the attribute on this model the foreign key points at (default: the primary key). */
  readonly localKey?: string;
  /**
   * hasOne / hasMany: the target's polymorphic belongsTo this relation is the
   * other side of (`@hasMany(() => Comment, { as: "commentable" })`): only the
   * target rows whose type column names this model belong to it.
   */
  readonly as?: string;
}

/** Options of `@hasManyThrough`. */
export interface ThroughOptions {
  /** The relation on this model to go through (a belongsTo, hasOne or hasMany): "posts". */
  readonly through: string;
  /** The relation on the through model that reaches the records (default: this relation's name): "comments". */
  readonly source?: string;
}

/** Options of `@belongsTo.polymorphic`. */
export interface PolymorphicOptions {
  /** The attribute on this model holding the related record's key (default `<relation>Id`). */
  readonly foreignKey?: string;
  /** The attribute on this model holding the related record's type name (default `<relation>Type`). */
  readonly typeKey?: string;
}

/** Options of `@manyToMany`. */
export interface ManyToManyOptions {
  /** The join table (default: `<thisModel>_<targetTable>`, e.g. "post_tags"). */
  readonly through?: string;
  /** The join table's column pointing at this model (default `<thisModel>_id`). */
  readonly foreignKey?: string;
  /** The join table's column pointing at the target (default `<targetModel>_id`). */
  readonly relatedKey?: string;
}

/** A function returning the related model class, so that models may refer to each other before both are defined. */
export type ModelThunk = () => abstract new () => object;

export interface RelationRecord {
  readonly property: string;
  readonly kind: RelationKind;
  readonly target: ModelThunk;
  readonly options: RelationOptions & ManyToManyOptions & Partial<ThroughOptions> & PolymorphicOptions;
  /** belongsTo.polymorphic: the type names a row may hold, each with its model (`target` is unused). */
  readonly types?: Readonly<Record<string, ModelThunk>>;
}

function relation(kind: RelationKind, target: ModelThunk, options: RelationRecord["options"], types?: RelationRecord["types"]): FieldDecorator {
  if (typeof target !== "function") throw new ConfigurationError(`@${kind} takes a function returning the target model: @${kind}(() => User)`);
  // Installed on use, not on import: see registry.ts.
  installRelations(relationSupport);
  return fieldRecorder<RelationRecord>(RELATIONS_KEY, `@${kind}`, (property) => ({ property, kind, target, options, ...(types ? { types } : {}) }));
}

/**
 * A polymorphic belongsTo: a type column names which model the key column
 * points at, from an explicit map, so that a value read from the database or
 * a request can never choose any other class or table:
 * `@belongsTo.polymorphic({ post: () => Post, video: () => Video }) commentable?: Post | Video | null`
 * with `commentableType` and `commentableId` columns.
 */
function polymorphic(types: Readonly<Record<string, ModelThunk>>, options: PolymorphicOptions = {}): FieldDecorator {
  const names = typeof types === "object" && types !== null ? Object.keys(types) : [];
  if (names.length === 0 || names.some((n) => typeof types[n] !== "function")) {
    throw new ConfigurationError("@belongsTo.polymorphic takes a map of type names to models: @belongsTo.polymorphic({ post: () => Post, video: () => Video })");
  }
  // Copied and frozen: the map decides which tables a stored type value may reach.
  const map = Object.freeze(Object.fromEntries(names.map((n) => [n, types[n]!])));
  return relation("belongsToPolymorphic", () => Object, options, map);
}

/** `@belongsTo(...)`, with `@belongsTo.polymorphic(...)` on it. */
export interface BelongsToDecorator {
  /** This model holds the key: `@belongsTo(() => User) author?: User` with an `authorId` column. */
  (target: ModelThunk, options?: RelationOptions): FieldDecorator;
  /**
   * A type column plus a key column, the type naming one model of an explicit map:
   * `@belongsTo.polymorphic({ post: () => Post, video: () => Video }) commentable?: Post | Video | null`.
   */
  readonly polymorphic: (types: Readonly<Record<string, ModelThunk>>, options?: PolymorphicOptions) => FieldDecorator;
}

/** This model holds the key: `@belongsTo(() => User) author?: User` with an `authorId` column. */
export const belongsTo: BelongsToDecorator = Object.assign(
  (target: ModelThunk, options: RelationOptions = {}): FieldDecorator => relation("belongsTo", target, options),
  { polymorphic },
);
/** The target holds this model's key, at most one row: `@hasOne(() => Profile) profile?: Profile | null`. */
export const hasOne = (target: ModelThunk, options: RelationOptions = {}): FieldDecorator => relation("hasOne", target, options);
/** The target holds this model's key: `@hasMany(() => Post) posts?: Post[]`. */
export const hasMany = (target: ModelThunk, options: RelationOptions = {}): FieldDecorator => relation("hasMany", target, options);
/** Through a join table: `@manyToMany(() => Tag, { through: "post_tags" }) tags?: Tag[]`. */
export const manyToMany = (target: ModelThunk, options: ManyToManyOptions = {}): FieldDecorator => relation("manyToMany", target, options);
/**
 * Records reached through another relation, one join away:
 * `@hasManyThrough(() => Comment, { through: "posts", source: "comments" }) comments?: Comment[]`
 * (an author's comments are the comments of the author's posts).
 */
export const hasManyThrough = (target: ModelThunk, options: ThroughOptions): FieldDecorator => {
  if (typeof options?.through !== "string" || options.through === "") {
    throw new ConfigurationError('@hasManyThrough needs the relation to go through: @hasManyThrough(() => Comment, { through: "posts" })');
  }
  return relation("hasManyThrough", target, options);
};
