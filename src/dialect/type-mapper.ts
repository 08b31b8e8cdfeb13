import type { ColumnSchema, ColumnType } from "../schema/column.ts";
import { literal } from "./compiler.ts";
import type { TypeMapper, ValueMapper } from "./dialect.ts";

/** What a dialect tells `createTypeMapper`: its DDL type per column type, how it spells "now", and its value mapper. */
export interface TypeMapperSpec {
  /** The DDL type of each column type; a function where options (length, precision) matter. */
  readonly types: Record<ColumnType, string | ((column: ColumnSchema) => string)>;
  /** The whole definition of a single auto-incrementing primary key. */
  autoIncrementKey(column: ColumnSchema): string;
  /** The default expression for "now" in a column of this type. */
  now(type: ColumnType): string;
  /** The dialect's value mapper, to write constant defaults in database form. */
  readonly values: ValueMapper;
  /** Quotes an identifier (for CHECK constraints). */
  quote(name: string): string;
}

/** Builds a dialect's type mapper from its table of DDL types. */
export function createTypeMapper(spec: TypeMapperSpec): TypeMapper {
  const columnType = (column: ColumnSchema): string => {
    const ddl = spec.types[column.type];
    return typeof ddl === "function" ? ddl(column) : ddl;
  };
  return {
    columnType,
    columnDefinition(column) {
      if (column.primaryKey && column.autoIncrement) return spec.autoIncrementKey(column);
      const parts = [columnType(column)];
      if (!column.nullable && !column.primaryKey) parts.push("NOT NULL");
      if (column.unique && !column.primaryKey) parts.push("UNIQUE");
      if (column.sqlDefault) parts.push(`DEFAULT ${spec.now(column.type)}`);
      else if (column.defaultValue !== undefined) {
        parts.push(`DEFAULT ${literal(spec.values.toDatabase(column.type, column.defaultValue))}`);
      }
      if (column.enumValues?.length) parts.push(`CHECK (${spec.quote(column.name)} IN (${column.enumValues.map((v) => literal(v)).join(", ")}))`);
      return parts.join(" ");
    },
  };
}
