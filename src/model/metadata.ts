/**
 * A model's metadata, built once per class from its decorator records (and
 * its parent classes'), then cached. Every name a query uses is checked
 * against it, so no user string becomes an identifier unchecked.
 */
import "reflect-metadata";
import { COLUMN_TYPES, type ColumnSchema, type ColumnType, type IndexSchema, type TableSchema } from "../schema/column.ts";
import { ConfigurationError, UnknownColumnError } from "../errors.ts";
import { adoptStandardMetadata, COLUMNS_KEY, TABLE_KEY, type ColumnRecord, type TableRecord } from "./decorators.ts";
import { defined } from "./defined.ts";
import { snakeCaseNaming, type NamingStrategy } from "./naming.ts";
import type { ColumnOptions } from "./options.ts";
import { COLUMN_TRAITS } from "../schema/traits.ts";
import { modelsByTable } from "./table-models.ts";

/** One attribute of a model: property, column, type and options. */
export interface AttributeMetadata {
  /** The property on the model. */
  readonly property: string;
  /** The column in the database. */
  readonly column: string;
  /** The column type. */
  readonly type: ColumnType;
  /** The column as the DDL sees it. */
  readonly schema: ColumnSchema;
  /** The options given to `@column`. */
  readonly options: ColumnOptions;
  /** Makes the value a new record gets when the attribute is left unset. */
  readonly makeDefault?: () => unknown;
}

/** What EdgeRecord knows about a model, resolved from its decorators. */
export interface ModelMetadata {
  /** The model's class name. */
  readonly name: string;
  /** The table name. */
  readonly table: string;
  /** Every attribute, in declaration order. */
  readonly attributes: readonly AttributeMetadata[];
  /** Attributes by property name. */
  readonly byProperty: ReadonlyMap<string, AttributeMetadata>;
  /** Attributes by column name. */
  readonly byColumn: ReadonlyMap<string, AttributeMetadata>;
  /** The primary key's attributes (several for a composite key). */
  readonly primaryKey: readonly AttributeMetadata[];
  /** The table as the DDL sees it. */
  readonly tableSchema: TableSchema;
  /** The soft-delete column, if the model has one. */
  readonly softDelete?: AttributeMetadata;
  /** The optimistic-locking version column, if the model has one. */
  readonly version?: AttributeMetadata;
  /** Attributes set to the current time on insert / on every update. */
  readonly autoCreate: readonly AttributeMetadata[];
  /** Attributes set to the current time on every update. */
  readonly autoUpdate: readonly AttributeMetadata[];
  /** Properties left out of toJSON(). */
  readonly hidden: ReadonlySet<string>;
  /** How loaded records are made (`@table(name, { hydration })`). */
  readonly hydration: "constructor" | "prototype";
  /** Looks up an attribute by property name; throws UnknownColumnError naming the model. */
  attribute(property: string): AttributeMetadata;
}

let defaultNaming: NamingStrategy = snakeCaseNaming;

/** Sets the naming strategy for models whose metadata is not built yet (and have no `@table` naming of their own). */
export function setDefaultNamingStrategy(strategy: NamingStrategy): void {
  defaultNaming = strategy;
}

const cache = new WeakMap<object, ModelMetadata>();

/** The metadata of a model class (resolved once, then cached); a ConfigurationError if it has no columns. */
export function getModelMetadata(model: abstract new () => unknown): ModelMetadata {
  let metadata = cache.get(model);
  if (!metadata) {
    metadata = buildMetadata(model);
    cache.set(model, metadata);
  }
  return metadata;
}

/**
 * The records stored under `key` by `model` and its parent classes, a
 * subclass's record replacing its parent's for the same property.
 */
export function collectRecords<R extends { readonly property: string }>(model: object, key: symbol): R[] {
  const chain: object[] = [];
  for (let c: object | null = model; c && c !== Function.prototype; c = Object.getPrototypeOf(c)) chain.unshift(c);
  const byProperty = new Map<string, R>();
  const metadataSymbol = (Symbol as { metadata?: symbol }).metadata ?? Symbol.for("Symbol.metadata");
  for (const c of chain) {
    // Standard decorators on a class without @table: adopt their records now.
    if (Object.hasOwn(c, metadataSymbol)) adoptStandardMetadata(c, (c as Record<symbol, never>)[metadataSymbol]);
    const own = Reflect.getOwnMetadata(key, c) as R[] | undefined;
    for (const record of own ?? []) byProperty.set(record.property, record);
  }
  return [...byProperty.values()];
}

function buildMetadata(model: abstract new () => unknown): ModelMetadata {
  const name = model.name || "(anonymous model)";
  const tableRecord = Reflect.getMetadata(TABLE_KEY, model) as TableRecord | undefined;
  const naming = tableRecord?.options.naming ?? defaultNaming;
  const table = tableRecord?.name ?? naming.tableName(name);
  // For query events (queryDetails): the model a table belongs to, the first built on it.
  if (!modelsByTable.has(table)) modelsByTable.set(table, name);
  const records = collectRecords<ColumnRecord>(model, COLUMNS_KEY);
  if (records.length === 0) {
    throw new ConfigurationError(`${name} declares no columns: decorate its fields with @column.text(), @column.integer(), ...`);
  }

  const attributes = records.map((record) => buildAttribute(name, record, naming));
  const byProperty = new Map(attributes.map((a) => [a.property, a]));
  const byColumn = new Map<string, AttributeMetadata>();
  for (const a of attributes) {
    const clash = byColumn.get(a.column);
    if (clash) throw new ConfigurationError(`${name}.${a.property} and ${name}.${clash.property} both map to column "${a.column}"`);
    byColumn.set(a.column, a);
  }
  const primaryKey = attributes.filter((a) => a.schema.primaryKey);
  if (primaryKey.length === 0) {
    throw new ConfigurationError(`${name} has no primary key: mark a column { primaryKey: true }, or use @column.id()`);
  }

  const indexes: IndexSchema[] = [];
  for (const a of attributes) {
    if (!a.options.index) continue;
    indexes.push({ name: typeof a.options.index === "string" ? a.options.index : `${table}_${a.column}_idx`, columns: [a.column], unique: false });
  }
  for (const index of tableRecord?.options.indexes ?? []) {
    const columns = index.columns.map((p) => {
      const a = byProperty.get(p);
      if (!a) throw new UnknownColumnError(name, p, [...byProperty.keys()]);
      return a.column;
    });
    indexes.push({ name: index.name ?? `${table}_${columns.join("_")}_${index.unique ? "key" : "idx"}`, columns, unique: index.unique ?? false });
  }

  const hydration = tableRecord?.options.hydration ?? "constructor";
  if (hydration !== "constructor" && hydration !== "prototype") {
    throw new ConfigurationError(`${name}: hydration must be "constructor" or "prototype", got ${JSON.stringify(hydration)}`);
  }

  const single = (flag: "softDelete" | "version"): { [k in typeof flag]?: AttributeMetadata } => {
    const marked = attributes.filter((a) => a.options[flag]);
    if (marked.length > 1) throw new ConfigurationError(`${name} marks ${marked.map((a) => a.property).join(" and ")} as ${flag}; only one column may be`);
    return marked[0] ? { [flag]: marked[0] } : {};
  };

  return {
    name,
    table,
    attributes,
    ...single("softDelete"),
    ...single("version"),
    autoCreate: attributes.filter((a) => a.options.autoCreate || a.options.autoUpdate),
    autoUpdate: attributes.filter((a) => a.options.autoUpdate),
    hidden: new Set(attributes.filter((a) => a.options.hidden).map((a) => a.property)),
    hydration,
    byProperty,
    byColumn,
    primaryKey,
    tableSchema: { name: table, columns: attributes.map((a) => a.schema), indexes },
    attribute(property) {
      const found = byProperty.get(property);
      if (!found) throw new UnknownColumnError(name, property, [...byProperty.keys()]);
      return found;
    },
  };
}

function buildAttribute(model: string, record: ColumnRecord, naming: NamingStrategy): AttributeMetadata {
  const { property, options } = record;
  const where = `${model}.${property}`;
  const type = options.type;
  if (!type) throw new ConfigurationError(`${where}: @column needs a type, e.g. @column({ type: "text" }) or @column.text()`);
  if (!COLUMN_TYPES.includes(type)) {
    throw new ConfigurationError(`${where}: unknown column type "${type}" (expected one of ${COLUMN_TYPES.join(", ")})`);
  }
  const traits = COLUMN_TRAITS[type];
  if (options.autoIncrement && !traits.integral) {
    throw new ConfigurationError(`${where}: autoIncrement needs an integer or bigint column, not ${type}`);
  }
  const isNow = options.default === "now";
  if (isNow && !traits.temporal) {
    throw new ConfigurationError(`${where}: default "now" is for date and datetime columns, not ${type}`);
  }
  if ((options.autoCreate || options.autoUpdate || options.softDelete) && !traits.temporal) {
    throw new ConfigurationError(`${where}: autoCreate, autoUpdate and softDelete need a date or datetime column, not ${type}`);
  }
  if (options.softDelete && options.nullable === false) throw new ConfigurationError(`${where}: a soft-delete column must be nullable`);
  if (options.version && !traits.integral) {
    throw new ConfigurationError(`${where}: a version column must be an integer, not ${type}`);
  }
  if (options.enum && !traits.textual) {
    throw new ConfigurationError(`${where}: enum values need a text or varchar column, not ${type}`);
  }
  if (options.enum && options.enum.length === 0) throw new ConfigurationError(`${where}: enum needs at least one value`);
  const primaryKey = options.primaryKey ?? false;
  const constantDefault = options.default !== undefined && typeof options.default !== "function" && !isNow;
  const schema: ColumnSchema = {
    name: options.name ?? naming.columnName(property),
    type,
    primaryKey,
    autoIncrement: options.autoIncrement ?? false,
    nullable: !primaryKey && (options.nullable ?? false),
    unique: options.unique ?? false,
    ...defined({
      length: options.length,
      precision: options.precision,
      scale: options.scale,
      defaultValue: constantDefault && isDdlConstant(options.default) ? options.default : undefined,
      sqlDefault: isNow ? { sql: "now" as const } : undefined,
      enumValues: options.enum,
      references: options.references
        ? { table: options.references.table, column: options.references.column ?? "id", ...defined({ onDelete: options.references.onDelete || undefined }) }
        : undefined,
    }),
  };
  return { property, column: schema.name, type, schema, options, ...defaultFactory(options.default) };
}

function isDdlConstant(value: unknown): boolean {
  return ["string", "number", "bigint", "boolean"].includes(typeof value);
}

function defaultFactory(value: unknown): { makeDefault?: () => unknown } {
  if (value === undefined) return {};
  if (value === "now") return { makeDefault: () => new Date() };
  if (typeof value === "function") return { makeDefault: value as () => unknown };
  // Objects (JSON defaults) are cloned so that records never share one mutable default.
  if (typeof value === "object" && value !== null) return { makeDefault: () => structuredClone(value) };
  return { makeDefault: () => value };
}
