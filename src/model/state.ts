/**
 * A record's persistence state and dirty tracking. Attributes are never set
 * in a constructor (subclass fields would overwrite them); a record is built
 * and then filled (hydration.ts), and its snapshot of what the database holds
 * is kept under a symbol.
 */
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
  #row: LoadedRow | undefined;
  #plan: RowPlan | undefined;

  constructor(persisted: boolean, row?: LoadedRow, plan?: RowPlan) {
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
      const { properties, keys, fromDatabase } = plan;
      for (let i = 0; i < properties.length; i++) {
        const raw = (row as Record<string | number, unknown>)[keys[i]!];
        if (raw !== undefined) original[properties[i]!] = raw === null ? null : fromDatabase[i]!(raw);
      }
    }
    this.#row = undefined;
    this.#plan = undefined;
    return (this.#original = original);
  }
}

/** A row as the driver gave it: an object keyed by column, or an array of values. */
export type LoadedRow = Readonly<Record<string, unknown>> | readonly unknown[];

/** How to read a loaded row back into attribute values: for each attribute, its key in the row and its converter. */
export interface RowPlan {
  readonly properties: readonly string[];
  /** Column names for object rows, positions for array rows (-1: not in the row). */
  readonly keys: readonly (string | number)[];
  readonly fromDatabase: readonly ((value: unknown) => unknown)[];
}

/**
 * A loaded record carries its row and plan directly until its state is first
 * asked for: two fields on the record cost less than an object per row, and
 * most loaded records are only read.
 */
const LOADED_ROW = Symbol("edgerecord.row");
const LOADED_PLAN = Symbol("edgerecord.plan");

type Stateful = { [STATE]?: RecordState; [LOADED_ROW]?: LoadedRow; [LOADED_PLAN]?: RowPlan } & Record<string, unknown>;

/** Marks a freshly hydrated record as persisted, with the row its snapshot will be made from if ever needed. */
export function markLoaded(record: object, row: LoadedRow, plan: RowPlan): void {
  const holder = record as Stateful;
  holder[LOADED_ROW] = row;
  holder[LOADED_PLAN] = plan;
}

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

