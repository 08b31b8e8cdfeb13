/**
 * Working through one record's relation: `user.related("posts")` is a query
 * scoped to that user's posts that can also create, attach and detach.
 */
import type { Condition, SelectQuery } from "../../query/ast.ts";
import { ConfigurationError } from "../../errors.ts";
import type { ActiveRecord } from "../active-record.ts";
import { sessionOf } from "../binding.ts";
import { execute } from "../execution.ts";
import { getModelMetadata } from "../metadata.ts";
import { ModelQuery } from "../query.ts";
import type { CreateInput, ModelClass, WhereInput } from "../types.ts";
import { runTransaction } from "../../transaction/runner.ts";
import { uniqueKeys } from "./keys.ts";
import { getRelation, type Relation } from "./metadata.ts";
import { morphCondition, polymorphicName, polymorphicType, refusePolymorphic } from "./polymorphic.ts";
import { ownerMatch, throughCondition } from "./through.ts";

/** Which conditions on the related model a `whereHas` takes: an object, or a function refining the query. */
export type RelatedFilter<R extends ActiveRecord> = WhereInput<R> | ((query: ModelQuery<R>) => ModelQuery<R>);

/** `ownerKey IN (SELECT ...)`: owners with at least one related row matching `filter`. */
export function hasRelatedCondition(model: object, name: string, filter: RelatedFilter<ActiveRecord> | undefined, negate: boolean): Condition {
  const relation = getRelation(model as ModelClass<ActiveRecord>, name);
  refusePolymorphic(relation, "whereHas()");
  if (relation.chain) {
    // Owners with an intermediate record that has a matching target: two relations, nested.
    const { via, source } = relation.chain;
    const viaFilter = (q: ModelQuery<ActiveRecord>) => q.whereCondition(hasRelatedCondition(via.target, source.name, filter, false));
    return hasRelatedCondition(model, via.name, viaFilter, negate);
  }
  const target = relation.target as ModelClass<ActiveRecord>;
  let query = new ModelQuery(target);
  const morph = morphCondition(relation);
  if (morph) query = query.whereCondition(morph);
  if (typeof filter === "function") query = filter(query);
  else if (filter) query = query.where(filter);
  const related = query.toQuery();
  const { ownerKey, targetKey, through } = relation;
  let inner: SelectQuery = { ...related, columns: [{ kind: "column", column: targetKey.column }], orderBy: [] };
  if (through) {
    inner = {
      kind: "select",
      table: through.table,
      columns: [{ kind: "column", column: through.ownerColumn }],
      where: { kind: "inSubquery", column: through.targetColumn, query: inner, negate: false },
    };
  }
  return { kind: "inSubquery", column: ownerKey.column, query: inner, negate };
}

/** A related record's primary key, where `attach`/`detach` take a key instead of a record. */
export type RelatedKey = string | number | bigint;

/** The records related to one record through one relation: `post.related("tags")`. */
export class RelatedQuery<R extends ActiveRecord> {
  readonly #owner: ActiveRecord;
  readonly #relation: Relation;

  /** Made by `record.related(name)`. */
  constructor(owner: ActiveRecord, name: string) {
    this.#owner = owner;
    this.#relation = getRelation(owner.constructor as ModelClass<ActiveRecord>, name);
  }

  get #target(): ModelClass<R> {
    const relation = this.#relation;
    // A polymorphic belongsTo reaches the model its type column names, looked up in the declared map only.
    if (relation.polymorphic) return polymorphicType(relation, this.#attribute(relation.polymorphic.typeKey.property)).model as ModelClass<R>;
    return relation.target as ModelClass<R>;
  }

  #attribute(property: string): unknown {
    return (this.#owner as unknown as Record<string, unknown>)[property];
  }

  get #ownerValue(): unknown {
    const value = (this.#owner as unknown as Record<string, unknown>)[this.#relation.ownerKey.property];
    if (value === undefined || value === null) {
      const what = this.#relation.kind === "belongsTo" || this.#relation.polymorphic ? "its foreign key" : "its key";
      throw new ConfigurationError(`${this.#owner.constructor.name}.${this.#relation.name}: the record has no value for ${what} "${this.#relation.ownerKey.property}" (save it first)`);
    }
    return value;
  }

  /** The related records as a query, to refine further. */
  query(): ModelQuery<R> {
    return this.#scoped();
  }

  /** Every related record. */
  all(): Promise<R[]> {
    return this.#scoped().all();
  }

  /** The first related record, or null. */
  first(): Promise<R | null> {
    return this.#scoped().first();
  }

  /** How many related records there are. */
  count(): Promise<number> {
    return this.#scoped().count();
  }

  #scoped(): ModelQuery<R> {
    const { kind, targetKey, through, ownerKey } = this.#relation;
    const query = new ModelQuery(this.#target);
    if (this.#relation.polymorphic) {
      const key = getModelMetadata(this.#target).primaryKey[0]!;
      return query.where({ [key.property]: this.#ownerValue } as WhereInput<R>);
    }
    if (this.#relation.chain) return query.whereCondition(throughCondition(this.#relation, ownerMatch(this.#relation, this.#ownerValue)));
    const morph = morphCondition(this.#relation);
    if (morph) return query.where({ [targetKey.property]: this.#ownerValue } as WhereInput<R>).whereCondition(morph);
    if (kind !== "manyToMany") return query.where({ [targetKey.property]: this.#ownerValue } as WhereInput<R>);
    const linked: Condition = {
      kind: "inSubquery",
      column: targetKey.column,
      negate: false,
      query: {
        kind: "select",
        table: through!.table,
        columns: [{ kind: "column", column: through!.targetColumn }],
        where: { kind: "compare", column: through!.ownerColumn, op: "=", value: this.#ownerValue, type: ownerKey.type },
      },
    };
    return query.whereCondition(linked);
  }

  /**
   * Creates a related record linked to the owner: has* sets its foreign key;
   * manyToMany also inserts the join row (both in one transaction); belongsTo
   * points the owner at it and saves the owner.
   */
  async create(attributes: CreateInput<R>): Promise<R> {
    const { kind, targetKey, morph } = this.#relation;
    if (kind === "hasManyThrough" || kind === "belongsToPolymorphic") {
      const how = kind === "hasManyThrough" ? `create it through "${this.#relation.chain!.via.name}"` : "create the record, then associate() it";
      throw new ConfigurationError(`create() does not work on ${kind} relations (${this.#owner.constructor.name}.${this.#relation.name}): ${how}`);
    }
    const target = this.#target;
    if (kind === "hasMany" || kind === "hasOne") {
      const type = morph ? { [morph.typeKey.property]: morph.value } : {};
      return target.create({ ...attributes, ...type, [targetKey.property]: this.#ownerValue } as CreateInput<R>);
    }
    return runTransaction(sessionOf(target), async () => {
      const record = await target.create(attributes);
      if (kind === "manyToMany") await this.attach(record);
      else {
        this.associate(record);
        await this.#owner.save();
      }
      return record;
    });
  }

  /** belongsTo: points the owner at `record` (not saved until `owner.save()`); a polymorphic one sets the type column too. */
  associate(record: R): void {
    const relation = this.#belongsTo("associate");
    const owner = this.#owner as unknown as Record<string, unknown>;
    // The type name comes from the declared map, by the record's class: never from the record's data.
    const type = relation.polymorphic ? polymorphicName(relation, record.constructor) : undefined;
    const keyProperty = relation.polymorphic ? polymorphicType(relation, type).key.property : relation.targetKey.property;
    const key = (record as unknown as Record<string, unknown>)[keyProperty];
    if (key === undefined || key === null) throw new ConfigurationError(`${relation.name}: save the ${record.constructor.name} before associating it`);
    owner[relation.ownerKey.property] = key;
    if (relation.polymorphic) owner[relation.polymorphic.typeKey.property] = type;
  }

  /** belongsTo: clears the owner's foreign key, and a polymorphic one's type column (not saved until `owner.save()`). */
  dissociate(): void {
    const relation = this.#belongsTo("dissociate");
    const owner = this.#owner as unknown as Record<string, unknown>;
    owner[relation.ownerKey.property] = null;
    if (relation.polymorphic) owner[relation.polymorphic.typeKey.property] = null;
  }

  #belongsTo(action: string): Relation {
    return this.#relation.polymorphic ? this.#relation : this.#expectKind("belongsTo", action);
  }

  /** manyToMany: inserts join rows for these records or keys (already linked ones are an IntegrityError if the join table has a key). */
  async attach(...targets: (R | RelatedKey)[]): Promise<void> {
    const { through, ownerKey, targetKey } = this.#expectKind("manyToMany", "attach");
    const keys = this.#keys(targets);
    if (keys.length === 0) return;
    await execute(sessionOf(this.#owner.constructor), {
      kind: "insert",
      table: through!.table,
      columns: [through!.ownerColumn, through!.targetColumn],
      types: [ownerKey.type, targetKey.type],
      rows: keys.map((key) => [this.#ownerValue, key]),
    });
  }

  /** manyToMany: removes join rows for these records or keys, or all of the owner's with no argument. Returns how many. */
  async detach(...targets: (R | RelatedKey)[]): Promise<number> {
    const { through, ownerKey, targetKey } = this.#expectKind("manyToMany", "detach");
    const mine: Condition = { kind: "compare", column: through!.ownerColumn, op: "=", value: this.#ownerValue, type: ownerKey.type };
    const where: Condition = targets.length
      ? { kind: "group", op: "AND", items: [mine, { kind: "in", column: through!.targetColumn, values: this.#keys(targets), negate: false, type: targetKey.type }] }
      : mine;
    const result = await execute(sessionOf(this.#owner.constructor), { kind: "delete", table: through!.table, where });
    return result.affectedRows;
  }

  /** manyToMany: makes the links exactly these (detaches the rest, attaches the missing), in one transaction. */
  async sync(targets: (R | RelatedKey)[]): Promise<void> {
    this.#expectKind("manyToMany", "sync");
    const wanted = this.#keys(targets) as RelatedKey[];
    await runTransaction(sessionOf(this.#owner.constructor), async () => {
      await this.detach();
      await this.attach(...wanted);
    });
  }

  #keys(targets: (R | RelatedKey)[]): unknown[] {
    const property = this.#relation.targetKey.property;
    return uniqueKeys(targets.map((t) => (typeof t === "object" && t !== null ? (t as unknown as Record<string, unknown>)[property] : t)));
  }

  #expectKind(kind: Relation["kind"], action: string): Relation {
    if (this.#relation.kind !== kind) {
      throw new ConfigurationError(`${action}() works on ${kind} relations; ${this.#owner.constructor.name}.${this.#relation.name} is ${this.#relation.kind}`);
    }
    return this.#relation;
  }
}
