import type { ModelMetadata } from "./metadata.ts";
import { relationNames } from "./relations/registry.ts";

/** Base64 without Node's Buffer, so it runs on every runtime. */
function base64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function toJsonValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Uint8Array) return base64(value);
  return value;
}

/** A record's attributes as JSON-safe values (unset attributes are left out). */
export function toJsonObject(record: object, metadata: ModelMetadata): Record<string, unknown> {
  const values = record as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const a of metadata.attributes) {
    if (metadata.hidden.has(a.property)) continue;
    const value = values[a.property];
    if (value !== undefined) out[a.property] = toJsonValue(value);
  }
  // Loaded relations serialise through their own records' toJSON (and their hidden fields).
  for (const name of relationNames(record.constructor as abstract new () => object)) {
    const value = values[name];
    if (value !== undefined) out[name] = value === null ? null : JSON.parse(JSON.stringify(value));
  }
  return out;
}
