/**
 * Results that are not records: plain rows for `select(...).rows()` and the
 * single value of `count()`, `sum()`, `min()`... Values convert by column
 * type; COUNT, SUM and AVG come back as numbers, MIN and MAX in their
 * column's type.
 */
import type { Row } from "../backend/backend.ts";
import type { ValueMapper } from "../dialect/dialect.ts";
import type { SelectQuery } from "../query/ast.ts";
import type { Session } from "../transaction/session.ts";
import { Aggregate, isAggregate } from "./aggregates.ts";
import { execute } from "./execution.ts";
import type { ModelMetadata } from "./metadata.ts";

/** Rows keyed by attribute name and aggregate alias. */
export function plainRows(rows: readonly Row[], select: readonly (string | Aggregate)[] | undefined, metadata: ModelMetadata, values: ValueMapper): Record<string, unknown>[] {
  const items = select ?? metadata.attributes.map((a) => a.property);
  return rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (const item of items) {
      if (isAggregate(item)) out[item.alias] = aggregateValue(item, row[item.alias], metadata, values);
      else {
        const a = metadata.attribute(item);
        out[item] = values.fromDatabase(a.type, row[a.column]);
      }
    }
    return out;
  });
}

/** Runs a one-aggregate select (aliased "value") and converts its value. */
export async function aggregateOne(session: Session, metadata: ModelMetadata, query: SelectQuery, spec: { fn: Aggregate["fn"]; attribute: string | null }): Promise<unknown> {
  const { rows } = await execute(session, query);
  return aggregateValue(new Aggregate(spec.fn, spec.attribute, false, "value"), rows[0]?.["value"], metadata, session.dialect.values);
}

function aggregateValue(item: Aggregate, raw: unknown, metadata: ModelMetadata, values: ValueMapper): unknown {
  if (raw === null || raw === undefined) return item.fn === "COUNT" ? 0 : null;
  if (item.fn === "MIN" || item.fn === "MAX") {
    const a = item.attribute === null ? undefined : metadata.attribute(item.attribute);
    return a ? values.fromDatabase(a.type, raw) : raw;
  }
  return Number(raw);
}
