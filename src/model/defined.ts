/**
 * A copy of `object` without its undefined properties: query descriptions and
 * column schemas leave an option out rather than carry it as `undefined`, and
 * one call says so more briefly than a conditional spread per option.
 */
export function defined<T extends object>(object: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const key in object) if (object[key] !== undefined) out[key] = object[key];
  return out as { [K in keyof T]?: Exclude<T[K], undefined> };
}
