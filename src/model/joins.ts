/**
 * Joins along declared relations, for ModelQuery: `join("author")`,
 * `leftJoin("tags")`, and "relation.attribute" names in `where` and
 * `orderBy`. Every name is checked against the relation and the related
 * model's metadata; tables and columns come from there and are quoted by the
 * dialect, so nothing a request sends becomes SQL.
 *
 * A name through a belongsTo or hasOne relation not joined yet joins it
 * implicitly with a LEFT JOIN: at most one related row, so the records are
 * neither repeated nor dropped by the join itself. A hasMany or manyToMany
 * relation repeats a record per related row, so it must be joined explicitly.
 */
import type { ColumnType } from "../schema/column.ts";
import type { Condition, Join, OrderEntry, OrderItem } from "../query/ast.ts";
import { SqlFragment } from "../query/raw.ts";
import { ArgumentError, ConfigurationError } from "../errors.ts";
import { show } from "../show.ts";
import { getModelMetadata, type ModelMetadata } from "./metadata.ts";
import { relationJoinOf } from "./relations/registry.ts";

/** A relation joined into a query: by `join` (inner), `leftJoin`, or implicitly (left) by a "relation.attribute" name. */
export interface JoinSpec {
  readonly relation: string;
  readonly left: boolean;
  readonly implicit?: boolean;
}

type Model = object & { readonly name: string };

/** A column of a joined model, qualified by its table. */
export interface JoinedColumn {
  readonly table: string;
  readonly column: string;
  readonly type: ColumnType;
}

const targetMetadata = (target: object): ModelMetadata => getModelMetadata(target as never);

/** `joins` plus `relation` (an explicit join replaces an implicit one); self-joins and tables joined twice are refused. */
export function addJoin(model: Model, joins: readonly JoinSpec[] | undefined, relation: unknown, left: boolean, implicit = false): JoinSpec[] {
  const method = left ? "leftJoin" : "join";
  if (typeof relation !== "string") throw new ArgumentError(`${model.name}.${method}() takes a relation name, got ${show(relation)}`);
  if (relation.includes(".")) throw new ArgumentError(`${model.name}.${method}("${relation}"): join one relation of ${model.name} at a time; nested paths are not supported`);
  const plan = relationJoinOf(model, relation);
  const rest = (joins ?? []).filter((j) => j.relation !== relation);
  const tables = new Set([getModelMetadata(model as never).table]);
  for (const j of rest) for (const t of relationJoinOf(model, j.relation).joins) tables.add(t.table);
  for (const t of plan.joins) {
    if (tables.has(t.table)) throw new ConfigurationError(`${model.name}.${method}("${relation}"): the table "${t.table}" is already in the query; joining it twice needs table aliases, which are not supported yet`);
  }
  return [...rest, { relation, left, ...(implicit ? { implicit } : {}) }];
}

/**
 * Resolves "relation.attribute" against the related model; `joins` (a copy
 * the caller owns) gets the implicit join a belongsTo/hasOne path needs.
 */
export function resolveJoined(model: Model, joins: JoinSpec[], name: string): JoinedColumn {
  const parts = name.split(".");
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw new ArgumentError(`${model.name}: "${name}" is not "relation.attribute" (one relation deep)`);
  const [relation, attribute] = parts as [string, string];
  const plan = relationJoinOf(model, relation);
  if (!joins.some((j) => j.relation === relation)) {
    if (plan.kind !== "belongsTo" && plan.kind !== "hasOne") {
      throw new ArgumentError(`${model.name}: "${name}" reads the ${plan.kind} relation "${relation}", which repeats records per related row: join it first with join("${relation}") or leftJoin("${relation}")`);
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
    const plan = relationJoinOf(model, spec.relation);
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

/**
 * One ORDER BY entry: an attribute, "relation.attribute" (joined as `where`
 * does), or an application's sql`` fragment (a direction, if given, is
 * appended). Anything else, a look-alike fragment from a request included, is
 * refused.
 */
export function orderEntry(model: Model, metadata: ModelMetadata, joins: JoinSpec[], by: unknown, direction: unknown): OrderEntry {
  const dir = direction === undefined ? undefined : typeof direction === "string" ? direction.toUpperCase() : direction;
  if (dir !== undefined && dir !== "ASC" && dir !== "DESC") throw new ArgumentError(`${metadata.name}.orderBy(): the direction is "asc" or "desc", got ${show(direction)}`);
  if (SqlFragment.is(by)) {
    if (dir === undefined) return by;
    const strings = [...by.strings];
    strings[strings.length - 1] += ` ${dir}`;
    return new SqlFragment(strings, by.values);
  }
  if (typeof by !== "string") throw new ArgumentError(`${metadata.name}.orderBy() takes an attribute name, "relation.attribute" or a sql\`\` fragment, got ${show(by)}`);
  const direction_ = (dir ?? "ASC") as "ASC" | "DESC";
  if (!by.includes(".")) return { column: metadata.attribute(by).column, direction: direction_ };
  const { table, column } = resolveJoined(model, joins, by);
  return { table, column, direction: direction_ };
}

/** The ordering as the model's own columns, for keyset pages: a sql`` or joined ordering is refused. */
export function ownOrdering(metadata: ModelMetadata, entries: readonly OrderEntry[], what: string): OrderItem[] {
  return entries.map((e) => {
    if (!("column" in e) || e.table !== undefined) throw new ArgumentError(`${metadata.name}: ${what} orders by the model's own attributes only, not a sql\`\` fragment or a joined model's attribute`);
    return e;
  });
}

/** Writes over the matched rows (updateAll, deleteAll, increment) take the model's own conditions only. */
export function refuseJoins(metadata: ModelMetadata, joins: readonly JoinSpec[] | undefined, what: string): void {
  if (joins?.length) throw new ArgumentError(`${metadata.name}.${what}() cannot run on a query with joins (${joins.map((j) => j.relation).join(", ")}); filter with whereHas() instead`);
}
