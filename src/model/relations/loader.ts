/**
 * Eager loading: one query per relation per level, never one per record.
 * `with("posts.comments", "profile")` loads every post of every user in one
 * query, then every comment of those posts in one more.
 */
import type { Row } from "../../backend/backend.ts";
import type { ActiveRecord } from "../active-record.ts";
import { sessionOf } from "../binding.ts";
import { execute } from "../execution.ts";
import { getModelMetadata } from "../metadata.ts";
import { ModelQuery } from "../query.ts";
import { hydrator } from "../hydration.ts";
import type { ModelClass } from "../types.ts";
import { groupBy, keyChunks } from "./chunks.ts";
import { keyOf, uniqueKeys } from "./keys.ts";
import { getRelation, type Relation } from "./metadata.ts";
import { loadPolymorphic, morphCondition } from "./polymorphic.ts";
import type { PathTree } from "./registry.ts";
import { loadThroughChain } from "./through.ts";

type Records = Record<string, unknown>[];
/** The alias under which a many-to-many query returns the owner's key next to each target row. */
const OWNER = "edgerecord_owner";

/** Loads the relations in `tree` into `records` (all of one model), level by level. */
export async function eagerLoad(model: object, records: readonly object[], tree: PathTree): Promise<void> {
  if (records.length === 0) return;
  for (const [name, children] of tree) {
    const relation = getRelation(model as ModelClass<ActiveRecord>, name);
    // Each type loads its own children: the path was checked against every type.
    if (relation.polymorphic) {
      await loadPolymorphic(relation, records as unknown as Records, children, eagerLoad);
      continue;
    }
    const related = await loadRelation(relation, records as unknown as Records);
    if (children.size) await eagerLoad(relation.target, related, children);
  }
}

async function loadRelation(relation: Relation, records: Records): Promise<object[]> {
  const { name, kind, ownerKey, targetKey } = relation;
  const keys = uniqueKeys(records.map((r) => r[ownerKey.property]));
  const empty = kind === "hasMany" || kind === "manyToMany" || kind === "hasManyThrough" ? () => [] : () => null;
  if (keys.length === 0) {
    for (const r of records) r[name] = empty();
    return [];
  }
  const target = relation.target as ModelClass<ActiveRecord>;
  if (kind === "manyToMany") return loadThrough(relation, records, keys);
  if (kind === "hasManyThrough") return loadThroughChain(relation, records, keys);

  const found: Records = [];
  const morph = morphCondition(relation);
  for (const chunk of keyChunks(target, targetKey.type, keys)) {
    let query = new ModelQuery(target).whereCondition({ kind: "in", column: targetKey.column, values: chunk, negate: false, type: targetKey.type });
    if (morph) query = query.whereCondition(morph);
    for (const record of (await query.all()) as unknown as Records) found.push(record);
  }
  const byKey = groupBy(found, (row) => keyOf(row[targetKey.property]));
  for (const r of records) {
    const matches = byKey.get(keyOf(r[ownerKey.property]));
    r[name] = kind === "hasMany" ? (matches ?? []) : (matches?.[0] ?? null);
  }
  return found;
}

async function loadThrough(relation: Relation, records: Records, keys: unknown[]): Promise<object[]> {
  const { name, ownerKey, targetKey, through } = relation;
  const target = relation.target as ModelClass<ActiveRecord>;
  const metadata = getModelMetadata(target);
  const session = sessionOf(target);
  const base = new ModelQuery(target).toQuery();
  const rows: Row[] = [];
  for (const chunk of keyChunks(target, ownerKey.type, keys)) {
    const result = await execute(session, {
      ...base,
      columns: [
        { kind: "allColumns", table: metadata.table },
        { kind: "column", table: through!.table, column: through!.ownerColumn, alias: OWNER },
      ],
      joins: [{ table: through!.table, column: through!.targetColumn, otherTable: metadata.table, otherColumn: targetKey.column }],
      where: {
        kind: "group",
        op: "AND",
        items: [
          ...(base.where ? [base.where] : []),
          { kind: "in", table: through!.table, column: through!.ownerColumn, values: chunk, negate: false, type: ownerKey.type },
        ],
      },
    });
    for (const row of result.rows) rows.push(row);
  }
  const hydrate = hydrator(target, metadata, session.dialect.values);
  // The same target may be linked to several owners: one record per target, shared.
  const byTarget = new Map<string, object>();
  const byOwner = groupBy(rows as Row[], (row) => keyOf(row[OWNER]), (row) => {
    const targetId = keyOf(row[targetKey.column]);
    let record = byTarget.get(targetId);
    if (!record) byTarget.set(targetId, (record = hydrate(row)));
    return record;
  });
  for (const r of records) r[name] = byOwner.get(keyOf(r[ownerKey.property])) ?? [];
  return [...byTarget.values()];
}
