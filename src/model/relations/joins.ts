/**
 * The joins that follow a declared relation: `Article.join("author")` is
 * `INNER JOIN users ON users.id = articles.author_id`; a manyToMany goes
 * through its join table (two joins). Tables and columns come from both
 * models' metadata, never from the caller.
 */
import type { Join } from "../../query/ast.ts";
import type { ActiveRecord } from "../active-record.ts";
import { getModelMetadata } from "../metadata.ts";
import type { ModelClass } from "../types.ts";
import type { RelationKind } from "./decorators.ts";
import { getRelation } from "./metadata.ts";
import { morphCondition, refusePolymorphic } from "./polymorphic.ts";
import { throughJoins } from "./through.ts";

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
