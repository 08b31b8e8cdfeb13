/**
 * Joins along declared relations, for ModelQuery: `join("author")`,
 * `leftJoin("tags")`, and "relation.attribute" names in `where` and
 * `orderBy`. `Article.join("author")` is
 * `INNER JOIN users ON users.id = articles.author_id`; a manyToMany goes
 * through its join table (two joins). Every name is checked against the
 * relation and the related model's metadata; tables and columns come from
 * there and are quoted by the dialect, so nothing a request sends becomes SQL.
 *
 * A name through a belongsTo or hasOne relation not joined yet joins it
 * implicitly with a LEFT JOIN: at most one related row, so the records are
 * neither repeated nor dropped by the join itself. A hasMany or manyToMany
 * relation repeats a record per related row, so it must be joined explicitly.
 *
 * ModelQuery reaches this module through the registry (registry.ts checks
 * the arguments first), so an app without relations bundles none of it.
 */
import type { Condition, Join } from "../../query/ast.ts";
import { ArgumentError, ConfigurationError } from "../../errors.ts";
import type { ActiveRecord } from "../active-record.ts";
import { getModelMetadata, type ModelMetadata } from "../metadata.ts";
import type { ModelClass } from "../types.ts";
import type { RelationKind } from "./decorators.ts";
import { getRelation } from "./metadata.ts";
import { morphCondition, refusePolymorphic } from "./polymorphic.ts";
import type { JoinedColumn, JoinSpec } from "./registry.ts";
import { throughJoins } from "./through.ts";

type Model = object & { readonly name: string };

/** A relation as joins: its kind, the model it reaches and the joins (inner, without conditions) that reach it. */
export interface RelationJoin {
  readonly kind: RelationKind;
  readonly target: object;
  readonly joins: readonly Join[];
}

export function relationJoin(model: object, name: string): RelationJoin {
  const relation = getRelation(model as ModelClass<ActiveRecord>, name);
  refusePolymorphic(relation, "join()");
  if (relation.chain) return { kind: relation.kind, target: relation.target, joins: throughJoins(relation) };
  const owner = getModelMetadata(model as ModelClass<ActiveRecord>).table;
  const target = getModelMetadata(relation.target as ModelClass<ActiveRecord>).table;
  const { ownerKey, targetKey, through } = relation;
  // belongsTo: target.key = owner.fk; hasOne/hasMany: target.fk = owner.key; the same shape either way.
  const joins: Join[] = through
    ? [
        { table: through.table, column: through.ownerColumn, otherTable: owner, otherColumn: ownerKey.column },
        { table: target, column: targetKey.column, otherTable: through.table, otherColumn: through.targetColumn },
      ]
    : [{ table: target, column: targetKey.column, otherTable: owner, otherColumn: ownerKey.column }];
  // hasMany `as`: only the rows typed as this model (in the ON clause, so a left join keeps owners without any).
  const morph = morphCondition(relation, target);
  if (morph) joins[0] = { ...joins[0]!, condition: morph };
  return { kind: relation.kind, target: relation.target, joins };
}

const targetMetadata = (target: object): ModelMetadata => getModelMetadata(target as never);

/** `joins` plus `relation` (a name already checked by the registry); an explicit join replaces an implicit one; self-joins and tables joined twice are refused. */
export function addJoin(model: Model, joins: readonly JoinSpec[] | undefined, relation: string, left: boolean, implicit = false): JoinSpec[] {
  const method = left ? "leftJoin" : "join";
  const plan = relationJoin(model, relation);
  const rest = (joins ?? []).filter((j) => j.relation !== relation);
  const tables = new Set([getModelMetadata(model as never).table]);
  for (const j of rest) for (const t of relationJoin(model, j.relation).joins) tables.add(t.table);
  for (const t of plan.joins) {
    if (tables.has(t.table)) throw new ConfigurationError(`${model.name}.${method}("${relation}"): the table "${t.table}" is already in the query; joining it twice needs table aliases, which are not supported yet`);
  }
  return [...rest, { relation, left, ...(implicit ? { implicit } : {}) }];
}

/**
 * Resolves `relation.attribute` (split by the registry) against the related
 * model; `joins` (a copy the caller owns) gets the implicit join a
 * belongsTo/hasOne path needs.
 */
export function resolveJoined(model: Model, joins: JoinSpec[], relation: string, attribute: string): JoinedColumn {
  const plan = relationJoin(model, relation);
  if (!joins.some((j) => j.relation === relation)) {
    if (plan.kind !== "belongsTo" && plan.kind !== "hasOne") {
      throw new ArgumentError(`${model.name}: "${relation}.${attribute}" reads the ${plan.kind} relation "${relation}", which repeats records per related row: join it first with join("${relation}") or leftJoin("${relation}")`);
    }
    const next = addJoin(model, joins, relation, true, true);
    joins.splice(0, joins.length, ...next);
  }
  const target = targetMetadata(plan.target);
  const a = target.attribute(attribute);
  return { table: target.table, column: a.column, type: a.type };
}

const and = (a: Condition | undefined, b: Condition): Condition => (a ? { kind: "group", op: "AND", items: [a, b] } : b);

/** The query description's joins for `specs`; a joined model's soft-delete filter goes into its ON clause. */
export function joinClauses(model: Model, specs: readonly JoinSpec[]): Join[] {
  const out: Join[] = [];
  for (const spec of specs) {
    const plan = relationJoin(model, spec.relation);
    const target = targetMetadata(plan.target);
    const soft = target.softDelete;
    plan.joins.forEach((j, i) => {
      const last = i === plan.joins.length - 1;
      out.push({
        ...j,
        ...(spec.left ? { type: "left" as const } : {}),
        // ANDed with the relation's own ON condition (a polymorphic type), never replacing it.
        ...(last && soft ? { condition: and(j.condition, { kind: "null" as const, table: target.table, column: soft.column, negate: false }) } : {}),
      });
    });
  }
  return out;
}
