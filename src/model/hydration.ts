/**
 * Hydration: database rows into records. Each model (per dialect) gets a plan
 * made once from its metadata: the properties, the column each is read from,
 * and the converter from the database's value. Loaded records keep their row
 * for the dirty-tracking snapshot (state.ts), made only if ever needed.
 */
import type { ArrayRows, Row } from "../backend/backend.ts";
import type { ValueMapper } from "../dialect/dialect.ts";
import type { ColumnType } from "../schema/column.ts";
import { ConfigurationError } from "../errors.ts";
import { RELATIONS_KEY } from "./decorators.ts";
import { collectRecords, type ModelMetadata } from "./metadata.ts";
import { markLoaded, snapshotValue, stateOf, type RowPlan } from "./state.ts";
import { COLUMN_TRAITS } from "../schema/traits.ts";

/**
 * The per-model (and per-dialect) conversions a row goes through, made once.
 * Parallel arrays walked by index: hydration is the one per-row loop, and
 * destructuring a tuple per column per row costs more than the conversion.
 */
interface Plan extends RowPlan {
  /** Column names: the keys of object rows. */
  readonly keys: readonly string[];
  readonly types: readonly ColumnType[];
  readonly fromDatabase: readonly ((value: unknown) => unknown)[];
  /** Whether a value of the column can be changed in place (a Date, JSON, bytes), so the record needs its own copy. */
  readonly mutable: readonly boolean[];
}

const plans = new WeakMap<ModelMetadata, WeakMap<ValueMapper, Plan>>();

function planFor(metadata: ModelMetadata, values: ValueMapper): Plan {
  let byMapper = plans.get(metadata);
  if (!byMapper) plans.set(metadata, (byMapper = new WeakMap()));
  let plan = byMapper.get(values);
  if (!plan) {
    const attributes = metadata.attributes;
    plan = {
      properties: attributes.map((a) => a.property),
      keys: attributes.map((a) => a.column),
      types: attributes.map((a) => a.type),
      fromDatabase: attributes.map((a) => values.converters[a.type].fromDatabase),
      mutable: attributes.map((a) => COLUMN_TRAITS[a.type].mutable),
    };
    byMapper.set(values, plan);
  }
  return plan;
}

/** Writes a database row's columns into a record and marks them saved. Columns the row lacks are left alone. */
export function applyRow(record: object, row: Row, metadata: ModelMetadata, values: ValueMapper): void {
  const target = record as Record<string, unknown>;
  const state = stateOf(record);
  state.persisted = true;
  const { properties, keys, types, fromDatabase, mutable } = planFor(metadata, values);
  for (let i = 0; i < properties.length; i++) {
    const raw = row[keys[i]!];
    if (raw === undefined) continue;
    const value = raw === null ? null : fromDatabase[i]!(raw);
    target[properties[i]!] = value;
    state.original[properties[i]!] = mutable[i] ? snapshotValue(types[i]!, value) : value;
  }
}

/**
 * Makes a hydrating function for a model: rows in, persisted records out. The
 * snapshot for dirty tracking is made from the same row later, if ever needed;
 * so that the row stays as read, a mutable value the converter passed through
 * unchanged (a driver's Date or parsed JSON) is copied before the record gets it.
 */
export function hydrator<T extends object>(model: new () => T, metadata: ModelMetadata, values: ValueMapper): (row: Row) => T {
  const plan = planFor(metadata, values);
  const { properties, keys, types, fromDatabase, mutable } = plan;
  const count = properties.length;
  const make = recordMaker(model, metadata);
  return (row) => {
    const record = make();
    const target = record as Record<string, unknown>;
    for (let i = 0; i < count; i++) {
      const raw = row[keys[i]!];
      if (raw === undefined) continue;
      const value = raw === null ? null : fromDatabase[i]!(raw);
      // Byte converters return views on the driver's buffer: those share storage even when not `===`.
      target[properties[i]!] = mutable[i] && (value === raw || types[i] === "blob") ? snapshotValue(types[i]!, value) : value;
    }
    markLoaded(record, row, plan);
    return record;
  };
}

/**
 * Hydrates rows given as arrays of values in `columns` order (QueryResult.values).
 * The same steps as `hydrator`, in a loop of its own: reading by position
 * from arrays is what makes this path cheaper, and a load site shared with
 * object rows would lose that.
 *
 * The arrays are ours (see Backend docs), which saves a copy per timestamp:
 * the record takes the driver's Date and the row keeps its instant as a
 * number, from which the dirty-tracking snapshot makes a Date if ever needed.
 */
export function hydrateArrays<T extends object>(model: new () => T, metadata: ModelMetadata, values: ValueMapper, result: ArrayRows): T[] {
  const base = planFor(metadata, values);
  const { properties, types, fromDatabase, mutable } = base;
  const positions = base.keys.map((column) => result.columns.indexOf(column));
  const byTime = types.map((type) => type === "datetime");
  const plan: RowPlan = {
    properties,
    keys: positions,
    fromDatabase: fromDatabase.map((convert, i) => (byTime[i] ? (v: unknown) => (typeof v === "number" ? new Date(v) : convert(v)) : convert)),
  };
  const count = properties.length;
  const make = recordMaker(model, metadata);
  const rows = result.rows as unknown[][];
  const records = new Array<T>(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    const record = make();
    const target = record as Record<string, unknown>;
    for (let i = 0; i < count; i++) {
      const at = positions[i]!;
      const raw = at < 0 ? undefined : row[at];
      if (raw === undefined) continue;
      let value = raw === null ? null : fromDatabase[i]!(raw);
      if (mutable[i] && value !== null) {
        if (value === raw && byTime[i] && raw instanceof Date) row[at] = raw.getTime();
        else if (value === raw || types[i] === "blob") value = snapshotValue(types[i]!, value);
      }
      target[properties[i]!] = value;
    }
    markLoaded(record, row, plan);
    records[r] = record;
  }
  return records;
}

const makers = new WeakMap<ModelMetadata, () => object>();

/**
 * How a model's loaded records are allocated. `new Model()` runs the class's
 * constructor, and under standard decorators bundlers lower every decorated
 * field to helper calls that cost more than reading the row (~0.3-1 µs per
 * record). `hydration: "prototype"` opts out of that: a bare function sharing
 * the model's prototype makes objects V8 builds as fast as a literal, and
 * which `instanceof` and `constructor` still recognise.
 */
function recordMaker<T extends object>(model: new () => T, metadata: ModelMetadata): () => T {
  if (metadata.hydration === "constructor") return () => new model();
  let make = makers.get(metadata) as (() => T) | undefined;
  if (!make) {
    refuseConstructorState(model, metadata);
    const Loaded = function (this: T) {} as unknown as new () => T;
    Loaded.prototype = model.prototype;
    make = () => new Loaded();
    makers.set(metadata, make);
  }
  return make;
}

/** Skipping the constructor is only safe when it sets nothing but columns and empty relations: one probe instance shows which. */
function refuseConstructorState(model: new () => object, metadata: ModelMetadata): void {
  const probe = new model() as Record<PropertyKey, unknown>;
  const relations = new Set(collectRecords(model, RELATIONS_KEY).map((r) => r.property));
  const lost = Reflect.ownKeys(probe).filter((key) => {
    if (typeof key === "string" && metadata.byProperty.has(key)) return false;
    return !(typeof key === "string" && relations.has(key) && probe[key] === undefined);
  });
  if (lost.length > 0) {
    const names = lost.map((key) => String(key)).join(", ");
    throw new ConfigurationError(
      `${metadata.name} uses @table({ hydration: "prototype" }), which skips the constructor for records read from the database, ` +
        `but its constructor sets ${names}: loaded records would lack ${lost.length > 1 ? "them" : "it"}. ` +
        `Make ${lost.length > 1 ? "them" : "it"} a getter, a column or a relation, or use hydration "constructor".`,
    );
  }
}
