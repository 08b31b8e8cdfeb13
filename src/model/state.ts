/**
 * A record's persistence state and dirty tracking. Attributes are never set
 * in a constructor (subclass fields would overwrite them); a record is built
 * with `new Model()` and then filled, and its snapshot of what the database
 * holds is kept under a symbol.
 */
import type { Row } from "../backend/backend.ts";
import type { ValueMapper } from "../dialect/dialect.ts";
import type { ColumnType } from "../schema/column.ts";
import type { AttributeMetadata, ModelMetadata } from "./metadata.ts";

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
    if (this.#row && this.#plan) {
      for (const [property, column, fromDatabase] of this.#plan) {
        const raw = this.#row[column];
        if (raw !== undefined) original[property] = raw === null ? null : fromDatabase(raw);
      }
    }
    this.#row = undefined;
    this.#plan = undefined;
    return (this.#original = original);
  }
}

type Stateful = { [STATE]?: RecordState } & Record<string, unknown>;

export function stateOf(record: object): RecordState {
  const holder = record as Stateful;
  return (holder[STATE] ??= new RecordState(false));
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

type Plan = readonly (readonly [property: string, column: string, fromDatabase: (v: unknown) => unknown, type: ColumnType, mutable: boolean])[];

/** Types whose values can be changed in place, so the snapshot needs a copy; the rest are immutable primitives. */
const MUTABLE_TYPES: ReadonlySet<ColumnType> = new Set(["date", "datetime", "json", "blob"]);

const plans = new WeakMap<ModelMetadata, WeakMap<ValueMapper, Plan>>();

/** The per-model (and per-dialect) list of conversions a row goes through, made once. */
function planFor(metadata: ModelMetadata, values: ValueMapper): Plan {
  let byMapper = plans.get(metadata);
  if (!byMapper) plans.set(metadata, (byMapper = new WeakMap()));
  let plan = byMapper.get(values);
  if (!plan) {
    plan = metadata.attributes.map((a) => [a.property, a.column, values.converters[a.type].fromDatabase, a.type, MUTABLE_TYPES.has(a.type)] as const);
    byMapper.set(values, plan);
  }
  return plan;
}

/** Writes a database row's columns into a record and marks them saved. Columns the row lacks are left alone. */
export function applyRow(record: object, row: Row, metadata: ModelMetadata, values: ValueMapper): void {
  const target = record as Record<string, unknown>;
  const state = stateOf(record);
  state.persisted = true;
  for (const [property, column, fromDatabase, type, mutable] of planFor(metadata, values)) {
    const raw = row[column];
    if (raw === undefined) continue;
    const value = raw === null ? null : fromDatabase(raw);
    target[property] = value;
    state.original[property] = mutable ? snapshotValue(type, value) : value;
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
  return (row) => {
    const record = new model();
    const target = record as unknown as Stateful;
    for (const [property, column, fromDatabase, type, mutable] of plan) {
      const raw = row[column];
      if (raw === undefined) continue;
      const value = raw === null ? null : fromDatabase(raw);
      // Byte converters return views on the driver's buffer: those share storage even when not `===`.
      target[property] = mutable && (value === raw || type === "blob") ? snapshotValue(type, value) : value;
    }
    target[STATE] = new RecordState(true, row, plan);
    return record;
  };
}
