/** The TypeORM entity both backends use (its own file, so a PostgreSQL process does not load the libSQL side). */
import type { EntitySchema } from "typeorm";

export interface TypeormUser {
  id: number;
  name: string;
  email: string;
  age: number;
  createdAt: string | Date;
}

/** Decorator-free (EntitySchema), so it runs under the same TC39 decorators as the rest of the benchmark. */
export async function typeormEntity(table: string, dateType: "text" | "timestamptz"): Promise<EntitySchema<TypeormUser>> {
  const { EntitySchema } = await import("typeorm");
  return new EntitySchema<TypeormUser>({
    name: table,
    tableName: table,
    columns: {
      id: { type: "integer", primary: true, generated: true },
      name: { type: "text" },
      email: { type: "text" },
      age: { type: "integer" },
      createdAt: { type: dateType, name: "created_at" },
    },
  });
}
