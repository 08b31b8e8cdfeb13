/**
 * Relation decorators. The target is a thunk (`() => User`) because models
 * usually refer to each other before both classes exist.
 */
import { fieldRecorder, RELATIONS_KEY, type FieldDecorator } from "../decorators.ts";
import { installRelations } from "./registry.ts";
import { relationSupport } from "./support.ts";
import { ConfigurationError } from "../../errors.ts";

export type RelationKind = "belongsTo" | "hasOne" | "hasMany" | "manyToMany";

/** Options of `@belongsTo`, `@hasOne` and `@hasMany`. */
export interface RelationOptions {
  /**
   * belongsTo: the attribute on this model holding the target's key (default `<relation>Id`).
   * hasOne / hasMany: the attribute on the target holding this model's key (default `<thisModel>Id`).
   */
  readonly foreignKey?: string;
  /** hasOne / hasMany: the attribute on this model the foreign key points at (default: the primary key). */
  readonly localKey?: string;
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

export type ModelThunk = () => abstract new () => object;

export interface RelationRecord {
  readonly property: string;
  readonly kind: RelationKind;
  readonly target: ModelThunk;
  readonly options: RelationOptions & ManyToManyOptions;
}

function relation(kind: RelationKind, target: ModelThunk, options: RelationOptions & ManyToManyOptions): FieldDecorator {
  if (typeof target !== "function") throw new ConfigurationError(`@${kind} takes a function returning the target model: @${kind}(() => User)`);
  // Installed on use, not on import: see registry.ts.
  installRelations(relationSupport);
  return fieldRecorder<RelationRecord>(RELATIONS_KEY, `@${kind}`, (property) => ({ property, kind, target, options }));
}

/** This model holds the key: `@belongsTo(() => User) author!: User` with an `authorId` column. */
export const belongsTo = (target: ModelThunk, options: RelationOptions = {}): FieldDecorator => relation("belongsTo", target, options);
/** The target holds this model's key, at most one row: `@hasOne(() => Profile) profile!: Profile | null`. */
export const hasOne = (target: ModelThunk, options: RelationOptions = {}): FieldDecorator => relation("hasOne", target, options);
/** The target holds this model's key: `@hasMany(() => Post) posts!: Post[]`. */
export const hasMany = (target: ModelThunk, options: RelationOptions = {}): FieldDecorator => relation("hasMany", target, options);
/** Through a join table: `@manyToMany(() => Tag, { through: "post_tags" }) tags!: Tag[]`. */
export const manyToMany = (target: ModelThunk, options: ManyToManyOptions = {}): FieldDecorator => relation("manyToMany", target, options);
