/**
 * Eager loading: one query per relation per level, never one per record.
 * `with("posts.comments", "profile")` loads every post of every user in one
 * query, then every comment of those posts in one more.
 */
import type { Row } from "../../backend/backend.ts";
import type { ColumnType } from "../../schema/column.ts";
import type { ActiveRecord } from "../active-record.ts";
import { sessionOf } from "../binding.ts";
import { execute } from "../execution.ts";
import { getModelMetadata } from "../metadata.ts";
import { ModelQuery } from "../query.ts";
import { hydrator } from "../hydration.ts";
import type { ModelClass } from "../types.ts";
import { keyOf, uniqueKeys } from "./keys.ts";
import { getRelation, type Relation } from "./metadata.ts";
import type { PathTree } from "./registry.ts";

type Records = Record<string, unknown>[];
/** The alias under which a many-to-many query returns the owner's key next to each target row. */
const OWNER = "edgerecord_owner";
/** Keys per query where a dialect binds one parameter per key: a power of two, so no padding is needed (see SqlCompiler.inList). */
const CHUNK = 1024;

/** Loads the relations in `tree` into `records` (all of one model), level by level. */
export async function eagerLoad(model: object, records: readonly object[], tree: PathTree): Promise<void> {
  if (records.length === 0) return;
  for (const [name, children] of tree) {
    const relation = getRelation(model as ModelClass<ActiveRecord>, name);
    const related = await loadRelation(relation, records as unknown as Records);
    if (children.size) await eagerLoad(relation.target, related, children);
  }
}

async function loadRelation(relation: Relation, records: Records): Promise<object[]> {
  const { name, kind, ownerKey, targetKey } = relation;
  const keys = uniqueKeys(records.map((r) => r[ownerKey.property]));
  const empty = kind === "hasMany" || kind === "manyToMany" ? () => [] : () => null;
  if (keys.length === 0) {
    for (const r of records) r[name] = empty();
    return [];
  }
  const target = relation.target as ModelClass<ActiveRecord>;
  if (kind === "manyToMany") return loadThrough(relation, records, keys);

  const found: Records = [];
  for (const chunk of keyChunks(target, targetKey.type, keys)) {
    const query = new ModelQuery(target).whereCondition({ kind: "in", column: targetKey.column, values: chunk, negate: false, type: targetKey.type });
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

/**
 * The keys in as few lists as the dialect allows. Where it binds a list of
 * this type as one parameter (`capabilities.listParameterTypes`), that is one
 * list however long; otherwise lists of a fixed size, well under the
 * statement's parameter limit, so that 100,000 parents load without a
 * "too many parameters" error and every chunk has the same statement shape.
 */
function keyChunks(target: ModelClass<ActiveRecord>, type: ColumnType, keys: unknown[]): unknown[][] {
  const { listParameterTypes, maxParameters } = sessionOf(target).dialect.capabilities;
  if (listParameterTypes?.includes(type)) return [keys];
  // Half the limit leaves room for the query's other parameters (scopes, soft-delete filters).
  const size = Math.max(1, Math.min(CHUNK, Math.floor(maxParameters / 2)));
  const chunks: unknown[][] = [];
  for (let i = 0; i < keys.length; i += size) chunks.push(keys.slice(i, i + size));
  return chunks;
}

function groupBy<T, V = T>(items: readonly T[], key: (item: T) => string, value: (item: T) => V = (item) => item as unknown as V): Map<string, V[]> {
  const groups = new Map<string, V[]>();
  for (const item of items) {
    const k = key(item);
    let list = groups.get(k);
    if (!list) groups.set(k, (list = []));
    list.push(value(item));
  }
  return groups;
}
