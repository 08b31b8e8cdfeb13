/**
 * A record's persistence state and dirty tracking. Attributes are never set
 * in a constructor (subclass fields would overwrite them); a record is built
 * with `new Model()` and then filled, and its snapshot of what the database
 * holds is kept under a symbol.
 */
import type { Row } from "../backend/backend.ts";
import type { ValueMapper } from "../dialect/dialect.ts";
import type { ColumnType } from "../schema/column.ts";
import { ConfigurationError } from "../errors.ts";
import { RELATIONS_KEY } from "./decorators.ts";
import { collectRecords, type AttributeMetadata, type ModelMetadata } from "./metadata.ts";

export const STATE = Symbol("edgerecord.state");

/**
 * A record's persistence state. The snapshot of what the database holds
 * (`original`) is made only when first asked for: most loaded records are
 * read and never changed, so hydration just keeps the row it came from and
 * the plan to convert it (the row is never handed out, so it stays as read).
 */
export class RecordState {
  persisted: boolean;
  #original: Record<string, unknown> | undefined;
  #row: Row | undefined;
  #plan: Plan | undefined;

  constructor(persisted: boolean, row?: Row, plan?: Plan) {
    this.persisted = persisted;
    this.#row = row;
    this.#plan = plan;
  }

  /** Attribute values as last read from or written to the database (copies of mutable values). */
  get original(): Record<string, unknown> {
    if (this.#original) return this.#original;
    const original: Record<string, unknown> = {};
    const row = this.#row;
    const plan = this.#plan;
    if (row && plan) {
      const { properties, columns, fromDatabase } = plan;
      for (let i = 0; i < properties.length; i++) {
        const raw = row[columns[i]!];
        if (raw !== undefined) original[properties[i]!] = raw === null ? null : fromDatabase[i]!(raw);
      }
    }
    this.#row = undefined;
    this.#plan = undefined;
    return (this.#original = original);
  }
}

/**
 * A loaded record carries its row and plan directly until its state is first
 * asked for: two fields on the record cost less than an object per row, and
 * most loaded records are only read.
 */
const LOADED_ROW = Symbol("edgerecord.row");
const LOADED_PLAN = Symbol("edgerecord.plan");

type Stateful = { [STATE]?: RecordState; [LOADED_ROW]?: Row; [LOADED_PLAN]?: Plan } & Record<string, unknown>;

export function stateOf(record: object): RecordState {
  const holder = record as Stateful;
  const state = holder[STATE];
  if (state) return state;
  const row = holder[LOADED_ROW];
  if (row) holder[LOADED_ROW] = undefined;
  return (holder[STATE] = row ? new RecordState(true, row, holder[LOADED_PLAN]) : new RecordState(false));
}

/** Copies what could be mutated in place (a Date, a JSON object, bytes), so later edits show as changes. */
export function snapshotValue(type: ColumnType, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (value instanceof Date) return new Date(value.getTime());
  if (type === "json" && typeof value === "object") return structuredClone(value);
  if (value instanceof Uint8Array) return value.slice();
  return value;
}

export function sameValue(type: ColumnType, a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (a instanceof Uint8Array && b instanceof Uint8Array) return a.length === b.length && a.every((byte, i) => byte === b[i]);
  if (type === "json") return jsonKey(a) === jsonKey(b);
  if (type === "bigint" && (typeof a === "bigint" || typeof b === "bigint")) {
    try {
      return BigInt(a as bigint) === BigInt(b as bigint);
    } catch {
      return false;
    }
  }
  return false;
}

function jsonKey(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));
}

/** Marks the given attributes as saved with their current values. */
export function markSaved(record: object, attributes: readonly AttributeMetadata[]): void {
  const state = stateOf(record);
  const values = record as Record<string, unknown>;
  state.persisted = true;
  for (const a of attributes) state.original[a.property] = snapshotValue(a.type, values[a.property]);
}

export function changedAttributes(record: object, metadata: ModelMetadata): AttributeMetadata[] {
  const state = stateOf(record);
  const values = record as Record<string, unknown>;
  return metadata.attributes.filter((a) => {
    const value = values[a.property];
    if (value === undefined && !(a.property in state.original)) return false;
    return !sameValue(a.type, state.original[a.property], value);
  });
}

/**
 * The per-model (and per-dialect) conversions a row goes through, made once.
 * Parallel arrays walked by index: hydration is the one per-row loop, and
 * destructuring a tuple per column per row costs more than the conversion.
 */
interface Plan {
  readonly properties: readonly string[];
  readonly columns: readonly string[];
  readonly types: readonly ColumnType[];
  readonly fromDatabase: readonly ((value: unknown) => unknown)[];
  /** Whether a value of the column can be changed in place (a Date, JSON, bytes), so the record needs its own copy. */
  readonly mutable: readonly boolean[];
}

/** Types whose values can be changed in place, so the snapshot needs a copy; the rest are immutable primitives. */
const MUTABLE_TYPES: ReadonlySet<ColumnType> = new Set(["date", "datetime", "json", "blob"]);

const plans = new WeakMap<ModelMetadata, WeakMap<ValueMapper, Plan>>();

function planFor(metadata: ModelMetadata, values: ValueMapper): Plan {
  let byMapper = plans.get(metadata);
  if (!byMapper) plans.set(metadata, (byMapper = new WeakMap()));
  let plan = byMapper.get(values);
  if (!plan) {
    const attributes = metadata.attributes;
    plan = {
      properties: attributes.map((a) => a.property),
      columns: attributes.map((a) => a.column),
      types: attributes.map((a) => a.type),
      fromDatabase: attributes.map((a) => values.converters[a.type].fromDatabase),
      mutable: attributes.map((a) => MUTABLE_TYPES.has(a.type)),
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
  const { properties, columns, types, fromDatabase, mutable } = planFor(metadata, values);
  for (let i = 0; i < properties.length; i++) {
    const raw = row[columns[i]!];
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
  const { properties, columns, types, fromDatabase, mutable } = plan;
  const count = properties.length;
  const make = recordMaker(model, metadata);
  return (row) => {
    const record = make();
    const target = record as unknown as Stateful;
    for (let i = 0; i < count; i++) {
      const raw = row[columns[i]!];
      if (raw === undefined) continue;
      const value = raw === null ? null : fromDatabase[i]!(raw);
      // Byte converters return views on the driver's buffer: those share storage even when not `===`.
      target[properties[i]!] = mutable[i] && (value === raw || types[i] === "blob") ? snapshotValue(types[i]!, value) : value;
    }
    target[LOADED_ROW] = row;
    target[LOADED_PLAN] = plan;
    return record;
  };
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
