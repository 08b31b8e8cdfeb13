/** The types that guide a user: attribute names, create input, where-conditions. */
import type { ActiveRecord } from "./active-record.ts";
import type { ModelQuery } from "./query.ts";

type BaseKeys = keyof ActiveRecord;

/** What every record has at type level: a cheap test for "is a model instance" that never expands ActiveRecord. */
export interface RecordBrand {
  readonly __edgerecordRecord: true;
}

/** A model's data attributes: its own fields, without methods, relations or ActiveRecord's members. */
export type Attributes<T> = {
  [K in keyof T as K extends BaseKeys
    ? never
    : T[K] extends (...args: never[]) => unknown
      ? never
      : Related<T[K]> extends RecordBrand
        ? never
        : K]: T[K];
};

export type AttributeName<T> = keyof Attributes<T> & string;

/** What `create()` and `new` records take: any subset of the attributes. */
export type CreateInput<T> = Partial<Attributes<T>>;

/** The operators one attribute may be filtered with. */
export interface Operators<V> {
  $eq?: V | null;
  $ne?: V | null;
  $gt?: V;
  $gte?: V;
  $lt?: V;
  $lte?: V;
  $in?: readonly V[];
  $notIn?: readonly V[];
  $like?: string;
  $between?: readonly [V, V];
  $null?: boolean;
}

type Condition<V> = V | null | readonly V[] | Operators<V>;

/** `{ age: { $gte: 30 }, name: { $like: "A%" }, $or: [...] }` */
export type WhereInput<T> = {
  [K in AttributeName<T>]?: Condition<NonNullable<T[K]>>;
} & {
  $and?: readonly WhereInput<T>[];
  $or?: readonly WhereInput<T>[];
  $not?: WhereInput<T>;
};

/** A model class whose instances are T: what the statics' `this` is. */
export type ModelClass<T extends ActiveRecord> = (new () => T) & Omit<typeof ActiveRecord, "prototype">;

export type Direction = "asc" | "desc" | "ASC" | "DESC";

/** The record type a relation property holds: `Post` for `posts!: Post[]` or `author!: User | null`. */
export type Related<V> = V extends readonly (infer U)[] ? U : NonNullable<V>;

/** The properties of T that hold related records. */
export type RelationName<T> = {
  [K in keyof T]-?: Related<T[K]> extends RecordBrand ? K : never;
}[keyof T] &
  string;

/** Conditions on a related model: an object, or a function refining its query. */
export type RelatedFilterFor<T, K extends keyof T> = WhereInput<Related<T[K]>> | ((query: ModelQuery<Related<T[K]> & ActiveRecord>) => ModelQuery<Related<T[K]> & ActiveRecord>);
