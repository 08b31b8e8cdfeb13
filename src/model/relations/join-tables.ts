/**
 * The join table of a manyToMany relation, described from the relation: the
 * two key columns (typed as the keys they point at), a composite primary key
 * (a pair is linked once), a foreign key to each side with ON DELETE CASCADE,
 * and an index on the target's column for the reverse direction.
 */
import type { TableSchema } from "../../schema/column.ts";
import type { ActiveRecord } from "../active-record.ts";
import { getModelMetadata } from "../metadata.ts";
import type { ModelClass } from "../types.ts";
import { getRelation, relationNames } from "./metadata.ts";

export function joinTables(model: object): TableSchema[] {
  const owner = getModelMetadata(model as ModelClass<ActiveRecord>);
  const tables: TableSchema[] = [];
  for (const name of relationNames(model as ModelClass<ActiveRecord>)) {
    const relation = getRelation(model as ModelClass<ActiveRecord>, name);
    if (!relation.through) continue;
    const target = getModelMetadata(relation.target as ModelClass<ActiveRecord>);
    const { table, ownerColumn, targetColumn } = relation.through;
    const column = (column: string, type: TableSchema["columns"][number]["type"], references: { table: string; column: string }) => ({
      name: column,
      type,
      primaryKey: true,
      autoIncrement: false,
      nullable: false,
      unique: false,
      references: { ...references, onDelete: "cascade" as const },
    });
    tables.push({
      name: table,
      columns: [
        // An auto-increment integer key may be a bigint identity on some dialects: its join column takes the wider type.
        column(ownerColumn, relation.ownerKey.type, { table: owner.table, column: relation.ownerKey.column }),
        column(targetColumn, relation.targetKey.type, { table: target.table, column: relation.targetKey.column }),
      ],
      indexes: [{ name: `${table}_${targetColumn}_index`, columns: [targetColumn], unique: false }],
    });
  }
  return tables;
}
