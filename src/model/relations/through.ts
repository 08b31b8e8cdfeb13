/**
 * hasManyThrough: records one relation beyond another. An author's comments
 * are the comments of the author's posts: `via` is Author.posts, `source` is
 * Post.comments. Every statement reaches the target through the intermediate
 * table in SQL (a join, or a subquery), so eager loading is one query per
 * level and a related query one statement, whatever the number of records.
 *
 * A target reached more than once for the same owner (two posts in one
 * category) is listed once: the relation is a set of records, as its related
 * query (`key IN (SELECT ...)`) also returns it.
 */
import type { Row } from "../../backend/backend.ts";
import { ConfigurationError } from "../../errors.ts";
import type { Condition, Join, SelectQuery } from "../../query/ast.ts";
import type { ActiveRecord } from "../active-record.ts";
import { sessionOf } from "../binding.ts";
import { execute } from "../execution.ts";
import { hydrator } from "../hydration.ts";
import { getModelMetadata } from "../metadata.ts";
import { ModelQuery } from "../query.ts";
import type { ModelClass } from "../types.ts";
import { keyChunks } from "./chunks.ts";
import type { RelationRecord } from "./decorators.ts";
import { keyOf } from "./keys.ts";
import { getRelation, relationRecords, targetOf, type ModelCtor, type Relation } from "./metadata.ts";
import { morphCondition } from "./polymorphic.ts";

type Records = Record<string, unknown>[];
/** The alias under which the eager query returns the owner's key next to each target row. */
const OWNER = "edgerecord_owner";

const tableOf = (model: object) => getModelMetadata(model as ModelClass<ActiveRecord>).table;

/** A relation `via` or `source` names, or an error naming the through relation and what is wrong. */
function linkOf(where: string, model: ModelCtor, name: string, role: "through" | "source"): Relation {
  const record = relationRecords(model).find((r) => r.property === name);
  if (record?.kind === "hasManyThrough") {
    throw new ConfigurationError(`${where}: its ${role} relation ${model.name}.${name} is itself a hasManyThrough; going through two is not supported (declare the chain one relation at a time)`);
  }
  // The declared names, not the resolved ones: while this model's through relations resolve, they are not all resolved yet.
  if (!record) {
    const known = relationRecords(model).map((r) => r.property);
    const hint = role === "source" ? ` (set { source: "..." } to the relation of ${model.name} that reaches the records)` : "";
    throw new ConfigurationError(`${where}: ${role} relation "${name}" not found: ${model.name} has no relation "${name}"${known.length ? ` (known: ${known.join(", ")})` : ""}${hint}`);
  }
  return getRelation(model, name);
}

/** `@hasManyThrough(() => Comment, { through: "posts", source: "comments" })`, checked against both relations. */
export function resolveThrough(owner: ModelCtor, record: RelationRecord): Relation {
  const where = `${owner.name}.${record.property}`;
  const via = linkOf(where, owner, record.options.through!, "through");
  if (via.kind !== "belongsTo" && via.kind !== "hasOne" && via.kind !== "hasMany") {
    throw new ConfigurationError(`${where}: goes through ${owner.name}.${via.name}, a ${via.kind}; the through relation must be a belongsTo, hasOne or hasMany`);
  }
  const source = linkOf(where, via.target, record.options.source ?? record.property, "source");
  if (source.polymorphic) throw new ConfigurationError(`${where}: the source ${via.target.name}.${source.name} is a polymorphic belongsTo, which has no single table to reach`);
  const target = targetOf(where, record.target);
  if (source.target !== target) throw new ConfigurationError(`${where}: the source ${via.target.name}.${source.name} reaches ${source.target.name}, not ${target.name}`);
  if (tableOf(via.target) === tableOf(target)) {
    throw new ConfigurationError(`${where}: ${via.target.name} and ${target.name} share the table "${tableOf(target)}"; going through a table to itself needs table aliases, which are not supported yet`);
  }
  return { name: record.property, kind: "hasManyThrough", owner, target, ownerKey: via.ownerKey, targetKey: source.targetKey, chain: { via, source } };
}

const and = (items: (Condition | undefined)[]): Condition | undefined => {
  const present = items.filter((c): c is Condition => c !== undefined);
  return present.length <= 1 ? present[0] : { kind: "group", op: "AND", items: present };
};

/** The intermediate model's soft-delete filter (a removed post does not lead to its comments). */
function midSoftDelete(relation: Relation): Condition | undefined {
  const mid = getModelMetadata(relation.chain!.via.target as ModelClass<ActiveRecord>);
  return mid.softDelete ? { kind: "null", table: mid.table, column: mid.softDelete.column, negate: false } : undefined;
}

/** The joins from the target's table to the intermediate one (through the join table for a manyToMany source). */
function joinsToMid(relation: Relation): Join[] {
  const { via, source } = relation.chain!;
  const target = tableOf(relation.target);
  const mid = tableOf(via.target);
  const jt = source.through;
  return jt
    ? [
        { table: jt.table, column: jt.targetColumn, otherTable: target, otherColumn: source.targetKey.column },
        { table: mid, column: source.ownerKey.column, otherTable: jt.table, otherColumn: jt.ownerColumn },
      ]
    : [{ table: mid, column: source.ownerKey.column, otherTable: target, otherColumn: source.targetKey.column }];
}

/** Eager loading: one query per chunk of owner keys, the target joined to the intermediate table. */
export async function loadThroughChain(relation: Relation, records: Records, keys: unknown[]): Promise<object[]> {
  const { name, ownerKey } = relation;
  const { via, source } = relation.chain!;
  const target = relation.target as ModelClass<ActiveRecord>;
  const metadata = getModelMetadata(target);
  const mid = tableOf(via.target);
  const session = sessionOf(target);
  const base = new ModelQuery(target).toQuery();
  const rows: Row[] = [];
  for (const chunk of keyChunks(target, ownerKey.type, keys)) {
    const where = and([
      base.where,
      { kind: "in", table: mid, column: via.targetKey.column, values: chunk, negate: false, type: ownerKey.type },
      midSoftDelete(relation),
      morphCondition(via, mid),
      morphCondition(source, metadata.table),
    ]);
    const result = await execute(session, {
      ...base,
      columns: [
        { kind: "allColumns", table: metadata.table },
        { kind: "column", table: mid, column: via.targetKey.column, alias: OWNER },
      ],
      joins: joinsToMid(relation),
      ...(where ? { where } : {}),
    });
    for (const row of result.rows) rows.push(row);
  }
  const hydrate = hydrator(target, metadata, session.dialect.values);
  // One record per target row, shared by every owner that reaches it; listed once per owner.
  const key = metadata.primaryKey.length === 1 ? metadata.primaryKey[0]!.column : undefined;
  const byTarget = new Map<string, object>();
  const byOwner = new Map<string, Map<string, object>>();
  rows.forEach((row, i) => {
    const id = key === undefined ? `#${i}` : keyOf(row[key]);
    let record = byTarget.get(id);
    if (!record) byTarget.set(id, (record = hydrate(row)));
    const owner = keyOf(row[OWNER]);
    let list = byOwner.get(owner);
    if (!list) byOwner.set(owner, (list = new Map()));
    list.set(id, record);
  });
  for (const r of records) r[name] = [...(byOwner.get(keyOf(r[ownerKey.property]))?.values() ?? [])];
  return [...byTarget.values()];
}

/**
 * The target rows one owner reaches, as a condition on the target's table:
 * `target.fk IN (SELECT mid.key FROM mid WHERE <match>)`, where `match`
 * picks the intermediate rows (one owner's value, or correlated with the
 * owner's row in a count).
 */
export function throughCondition(relation: Relation, match: Condition): Condition {
  const { via, source } = relation.chain!;
  const midQuery = new ModelQuery(via.target as ModelClass<ActiveRecord>).whereCondition(match);
  const viaMorph = morphCondition(via);
  const scoped = (viaMorph ? midQuery.whereCondition(viaMorph) : midQuery).toQuery();
  const mids: SelectQuery = { ...scoped, columns: [{ kind: "column", column: source.ownerKey.column }], orderBy: [] };
  const jt = source.through;
  const inner: SelectQuery = jt
    ? { kind: "select", table: jt.table, columns: [{ kind: "column", column: jt.targetColumn }], where: { kind: "inSubquery", column: jt.ownerColumn, query: mids, negate: false } }
    : mids;
  return and([{ kind: "inSubquery", column: source.targetKey.column, query: inner, negate: false }, morphCondition(source)])!;
}

/** The intermediate rows of one owner: `mid.<via key> = value`. */
export function ownerMatch(relation: Relation, value: unknown): Condition {
  const { via } = relation.chain!;
  return { kind: "compare", column: via.targetKey.column, op: "=", value, type: via.ownerKey.type };
}

/** The intermediate rows of the outer query's owner row, for correlated counts. */
export function correlatedMatch(relation: Relation): Condition {
  const { via } = relation.chain!;
  return {
    kind: "columnsEqual",
    left: { table: tableOf(via.target), column: via.targetKey.column },
    right: { table: tableOf(relation.owner), column: via.ownerKey.column },
  };
}

/** join("comments"): owner -> intermediate (its soft-delete filter in the ON clause) -> target. */
export function throughJoins(relation: Relation): Join[] {
  const { via } = relation.chain!;
  const mid = tableOf(via.target);
  const condition = and([midSoftDelete(relation), morphCondition(via, mid)]);
  const toMid: Join = { table: mid, column: via.targetKey.column, otherTable: tableOf(relation.owner), otherColumn: via.ownerKey.column, ...(condition ? { condition } : {}) };
  const rest: Join[] = joinsToMid(relation).reverse().map((j) => ({ table: j.otherTable, column: j.otherColumn, otherTable: j.table, otherColumn: j.column }));
  const last = rest[rest.length - 1]!;
  const morph = morphCondition(relation.chain!.source, tableOf(relation.target));
  if (morph) rest[rest.length - 1] = { ...last, condition: morph };
  return [toMid, ...rest];
}
