/** The types that guide a user: attribute names, create input, where-conditions. */
import type { ActiveRecord } from "./active-record.ts";
import type { ModelQuery } from "./query.ts";
import type { Group, Operator } from "../query/operators.ts";
import type { RawFragment } from "../query/ast.ts";

/** The members every record has from ActiveRecord: never attributes. */
export type BaseKeys = keyof ActiveRecord;

/** What every record has at type level: a cheap test for "is a model instance" that never expands ActiveRecord. */
export interface RecordBrand {
  /** Type-level marker of a model instance. */
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

/** The name of one of a model's attributes. */
export type AttributeName<T> = keyof Attributes<T> & string;

/** What `create()` and `new` records take: any subset of the attributes. */
export type CreateInput<T> = Partial<Attributes<T>>;

/** A condition on one attribute: a value (`=`), null (`IS NULL`), or an operator made by `gte()`, `oneOf()`, `startsWith()`... */
export type AttributeCondition<V> = V | null | Operator<V>;

/** `{ age: gte(30), name: startsWith("A"), deletedAt: null }`: every entry must hold. */
export type WhereInput<T> = {
  [K in AttributeName<T>]?: AttributeCondition<NonNullable<T[K]>>;
};

/** What `where()` takes: a where-object (attributes, and `"relation.attribute"` of related models), a group made by `and()`/`or()`/`not()`, or a sql`` fragment. */
export type Conditions<T> = WhereInput<T> | (WhereInput<T> & RelatedWhereInput<T>) | Group<WhereInput<T>> | RawFragment;

/** `"author.username"`: an attribute of a model one declared relation away, for `where`, `orderBy` and joins. */
export type RelatedColumn<T> = { [K in RelationName<T>]: `${K}.${AttributeName<Related<T[K]>>}` }[RelationName<T>];

/** The value type of a `"relation.attribute"` name. */
export type RelatedColumnValue<T, P> = P extends `${infer K}.${infer A}` ? (K extends RelationName<T> ? (A extends keyof Related<T[K]> ? Related<T[K]>[A] : never) : never) : never;

/** `{ "author.username": "ann" }`: conditions on related models' attributes, typed like the model's own. */
export type RelatedWhereInput<T> = {
  [P in RelatedColumn<T>]?: AttributeCondition<NonNullable<RelatedColumnValue<T, P>>>;
};

/** A model class whose instances are T: what the statics' `this` is. */
export type ModelClass<T extends ActiveRecord> = (new () => T) & Omit<typeof ActiveRecord, "prototype">;

/** An order direction. */
export type Direction = "asc" | "desc" | "ASC" | "DESC";

/** The record type a relation property holds: `Post` for `posts?: Post[]` or `author?: User | null`. */
export type Related<V> = V extends readonly (infer U)[] ? U : NonNullable<V>;

/** The properties of T that hold related records. */
export type RelationName<T> = {
  [K in keyof T]-?: Related<T[K]> extends RecordBrand ? K : never;
}[keyof T] &
  string;

/** Depth counter for RelationPath: models that point at each other would otherwise recurse forever. */
export type Shallower = [never, 0, 1, 2];

/**
 * A relation name or a dotted path through relations, three levels deep:
 * `"author"`, `"posts.comments"`. A typo is a compile error, and the same
 * names are checked at run time before any SQL.
 */
export type RelationPath<T, Depth extends number = 3> = [Depth] extends [never]
  ? never
  : { [K in RelationName<T>]: K | `${K}.${RelationPath<Related<T[K]>, Shallower[Depth]>}` }[RelationName<T>];

/** `"posts"` of `"posts.comments"`: the relation a path starts with. */
export type PathHead<P extends string> = P extends `${infer K}.${string}` ? K : P;

/** `"comments"` of `"posts.comments"` for K = `"posts"`: what a path loads below relation K (never when nothing). */
export type PathRest<P extends string, K extends string> = P extends `${K}.${infer Rest}` ? Rest : never;

/** A related record as loaded: itself, with the relations `Rest` names below it loaded too. */
export type LoadedRecord<U, Rest extends string> = [Rest] extends [never] ? U : LoadedRelations<U, Rest> & U;

/**
 * A relation property's value once loaded: `undefined` is gone (a loaded
 * hasMany is an array, empty or not; a loaded belongsTo/hasOne is the record,
 * or null where the declared type allows null), nested paths narrowed inside.
 */
export type LoadedValue<V, Rest extends string> =
  Exclude<V, undefined> extends (infer U)[]
    ? LoadedRecord<U, Rest>[]
    : Exclude<V, undefined> extends readonly (infer U)[]
      ? readonly LoadedRecord<U, Rest>[]
      : LoadedOne<Exclude<V, undefined>, Rest>;

/** A single related record (distributes over `| null`, which stays). */
export type LoadedOne<V, Rest extends string> = V extends null ? null : LoadedRecord<V, Rest>;

/** The relations of T that paths P load, each non-optional: `{ posts: (Post & { comments: Comment[] })[] }` for `"posts.comments"`. */
export type LoadedRelations<T, P extends string> = {
  [K in RelationName<T> as K extends PathHead<P> ? K : never]-?: LoadedValue<T[K], PathRest<P, K>>;
};

/**
 * A record with the relations of `with(...)`/`load(...)` loaded. Relations are
 * declared optional (`posts?: Post[]`), because a record read without them
 * does not have them; `Loaded<User, "posts.comments">` is
 * `User & { posts: (Post & { comments: Comment[] })[] }`.
 */
export type Loaded<T, P extends string> = LoadedRelations<T, P> & T;

/** Conditions on a related model: an object, or a function refining its query. */
export type RelatedFilterFor<T, K extends keyof T> = Conditions<Related<T[K]>> | ((query: ModelQuery<Related<T[K]> & ActiveRecord>) => ModelQuery<Related<T[K]> & ActiveRecord>);

/**
 * The query type of a model class: `QueryOf<typeof Article>` is
 * `ModelQuery<Article>`, for helpers that take or return a model's query.
 * (`ReturnType<typeof Article.query>` cannot see the subclass: TypeScript
 * resolves a static's `this` to its constraint there; `QueryOf`, or
 * `ReturnType<typeof Article.query<Article>>`, keeps it.)
 */
export type QueryOf<M extends abstract new () => ActiveRecord> = ModelQuery<InstanceType<M>>;
