/**
 * Compiled SQL for a model's hot statements, made once per model, dialect
 * and shape, then only bound with each call's values: find by primary key,
 * insert of a record, update of a record's changed columns by its key.
 * Besides skipping compilation, the same SQL string object comes back each
 * time, so the backend's prepared-statement lookup hashes nothing new.
 */
import type { Dialect } from "../dialect/dialect.ts";
import { bindTemplate, Slot, type StatementTemplate } from "../dialect/compiler.ts";
import type { CompiledQuery, Condition, Query } from "../query/ast.ts";
import type { AttributeMetadata, ModelMetadata } from "./metadata.ts";
import { COLUMN_TRAITS } from "../schema/traits.ts";

interface Shapes {
  readonly byKey: Map<string, StatementTemplate>;
  /**
   * Per kind of statement ("insert:r", "update:"...), the column set it was
   * last made for and its template. A program writes the same columns again
   * and again: comparing the list by identity costs less than building its
   * key string and hashing it, on every create() and save().
   */
  readonly last: Map<string, { readonly attributes: readonly AttributeMetadata[]; readonly template: StatementTemplate }>;
}

const templates = new WeakMap<ModelMetadata, WeakMap<Dialect, Shapes>>();

/** Shapes per model and dialect are few (one per set of columns a program writes), but bound them anyway. */
const MAX_SHAPES_PER_MODEL = 256;

function shapesOf(metadata: ModelMetadata, dialect: Dialect): Shapes {
  let byDialect = templates.get(metadata);
  if (!byDialect) templates.set(metadata, (byDialect = new WeakMap()));
  let shapes = byDialect.get(dialect);
  if (!shapes) byDialect.set(dialect, (shapes = { byKey: new Map(), last: new Map() }));
  return shapes;
}

function template(metadata: ModelMetadata, dialect: Dialect, key: string, build: () => Query, shapes = shapesOf(metadata, dialect)): StatementTemplate {
  const byKey = shapes.byKey;
  let found = byKey.get(key);
  if (!found) {
    found = dialect.compileTemplate(build());
    if (byKey.size >= MAX_SHAPES_PER_MODEL) byKey.delete(byKey.keys().next().value!);
    byKey.set(key, found);
  }
  return found;
}

/** The template of `kind` for this column set: the last one made for the same columns, else by key (see `Shapes.last`). */
function shapedTemplate(metadata: ModelMetadata, dialect: Dialect, kind: string, attributes: readonly AttributeMetadata[], build: () => Query): StatementTemplate {
  const shapes = shapesOf(metadata, dialect);
  const last = shapes.last.get(kind);
  if (last && sameAttributes(last.attributes, attributes)) return last.template;
  const found = template(metadata, dialect, `${kind}:${shapeKey(attributes)}`, build, shapes);
  shapes.last.set(kind, { attributes: [...attributes], template: found });
  return found;
}

function sameAttributes(a: readonly AttributeMetadata[], b: readonly AttributeMetadata[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `column = slot` for each key attribute, slots numbered from `first`. */
function keyCondition(keys: readonly AttributeMetadata[], first: number): Condition {
  const items = keys.map((a, i) => ({ kind: "compare", column: a.column, op: "=", value: new Slot(first + i), type: a.type }) as const);
  return items.length === 1 ? items[0]! : { kind: "group", op: "AND", items };
}

/** `SELECT * ... WHERE key = ? [AND deleted_at IS NULL] LIMIT 1`: soft-deleted rows count as absent. */
export function findByKeyStatement(metadata: ModelMetadata, dialect: Dialect, key: readonly unknown[]): CompiledQuery {
  const t = template(metadata, dialect, "find", () => {
    const byKey = keyCondition(metadata.primaryKey, 0);
    const soft = metadata.softDelete;
    const where: Condition = soft ? { kind: "group", op: "AND", items: [byKey, { kind: "null", column: soft.column, negate: false }] } : byKey;
    return { kind: "select", table: metadata.table, columns: [], where, limit: 1 };
  });
  return bindTemplate(t, dialect.values, key);
}

/** What an insert of `present` returns: the key, what the database filled in, and what it may have normalised. */
export function insertReturning(metadata: ModelMetadata, present: readonly AttributeMetadata[]): AttributeMetadata[] {
  return metadata.attributes.filter((a) => a.schema.primaryKey || !present.includes(a) || COLUMN_TRAITS[a.type].readBack);
}

/** `INSERT` of the given attributes (with `RETURNING` what `insertReturning` says, when asked), values in attribute order. */
export function insertStatement(
  metadata: ModelMetadata,
  dialect: Dialect,
  present: readonly AttributeMetadata[],
  values: readonly unknown[],
  returning: boolean,
): CompiledQuery {
  const t = shapedTemplate(metadata, dialect, returning ? "insert:r" : "insert:", present, () => ({
    kind: "insert",
    table: metadata.table,
    columns: present.map((a) => a.column),
    types: present.map((a) => a.type),
    rows: [present.map((_, i) => new Slot(i))],
    ...(returning ? { returning: insertReturning(metadata, present).map((a) => a.column) } : {}),
  }));
  return bindTemplate(t, dialect.values, values);
}

/** What an update by key binds: the changed attributes' values (in `changed` order), the key's, and the version read, if checked. */
export interface UpdateByKeyValues {
  readonly values: readonly unknown[];
  readonly key: readonly unknown[];
  readonly expectedVersion?: unknown;
}

/** `UPDATE ... SET changed = ? ... WHERE key = ? [AND version = ?]`. The slots are numbered here and bound here, in one order. */
export function updateByKeyStatement(metadata: ModelMetadata, dialect: Dialect, changed: readonly AttributeMetadata[], bound: UpdateByKeyValues): CompiledQuery {
  const versioned = "expectedVersion" in bound;
  const t = shapedTemplate(metadata, dialect, versioned ? "update:v" : "update:", changed, () => {
    const byKey = keyCondition(metadata.primaryKey, changed.length);
    const version = metadata.version;
    const where: Condition =
      versioned && version
        ? { kind: "group", op: "AND", items: [byKey, { kind: "compare", column: version.column, op: "=", value: new Slot(changed.length + metadata.primaryKey.length), type: version.type }] }
        : byKey;
    return { kind: "update", table: metadata.table, set: changed.map((a, i) => ({ column: a.column, value: new Slot(i), type: a.type })), where };
  });
  return bindTemplate(t, dialect.values, versioned ? [...bound.values, ...bound.key, bound.expectedVersion] : [...bound.values, ...bound.key]);
}

/** A column set's name: its properties, NUL-separated (no sane property name holds a NUL). */
function shapeKey(attributes: readonly AttributeMetadata[]): string {
  return attributes.map((a) => a.property).join("\0");
}
