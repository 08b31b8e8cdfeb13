/**
 * Lifecycle hooks, as method decorators (`@beforeSave() normalize() {...}`) or
 * registered on the class (`User.hook("afterCreate", fn)`). They run in the
 * caller's async context, so inside any surrounding transaction; a hook that
 * throws aborts the operation.
 */
import { HOOKS_KEY, methodRecorder, type MethodDecorator } from "./decorators.ts";
import { collectRecords } from "./metadata.ts";
import { ConfigurationError } from "../errors.ts";

/** Every lifecycle event a hook can run on. */
export const HOOK_EVENTS = [
  "beforeValidate",
  "afterValidate",
  "beforeSave",
  "afterSave",
  "beforeCreate",
  "afterCreate",
  "beforeUpdate",
  "afterUpdate",
  "beforeDelete",
  "afterDelete",
] as const;

/** A lifecycle event. */
export type HookEvent = (typeof HOOK_EVENTS)[number];
/** A hook function: gets the record; throwing aborts the operation. */
export type Hook<T = unknown> = (record: T) => unknown;

interface HookRecord {
  /** `event:method`, unique per pair so one method may serve several events. */
  readonly property: string;
  readonly event: HookEvent;
  readonly method: string;
}

const registered = new WeakMap<object, Map<HookEvent, Hook[]>>();
/** Each model's hooks, resolved once; a registration anywhere bumps the generation (a parent's hook reaches its subclasses). */
const resolved = new WeakMap<object, { generation: number; hooks: Map<HookEvent, readonly Hook[]> }>();
let generation = 0;

function hookDecorator(event: HookEvent): () => MethodDecorator {
  return () => methodRecorder<HookRecord>(HOOKS_KEY, `@${event}`, (method) => ({ property: `${event}:${method}`, event, method }));
}

// Pure: an app that uses none of these decorators bundles none of them.
/** `@beforeValidate()`: runs before a record is validated. */
export const beforeValidate: () => MethodDecorator = /* @__PURE__ */ hookDecorator("beforeValidate");
/** `@afterValidate()`: runs after a record passed validation. */
export const afterValidate: () => MethodDecorator = /* @__PURE__ */ hookDecorator("afterValidate");
/** `@beforeSave()`: runs before every insert or update. */
export const beforeSave: () => MethodDecorator = /* @__PURE__ */ hookDecorator("beforeSave");
/** `@afterSave()`: runs after every insert or update. */
export const afterSave: () => MethodDecorator = /* @__PURE__ */ hookDecorator("afterSave");
/** `@beforeCreate()`: runs before an insert. */
export const beforeCreate: () => MethodDecorator = /* @__PURE__ */ hookDecorator("beforeCreate");
/** `@afterCreate()`: runs after an insert. */
export const afterCreate: () => MethodDecorator = /* @__PURE__ */ hookDecorator("afterCreate");
/** `@beforeUpdate()`: runs before an update. */
export const beforeUpdate: () => MethodDecorator = /* @__PURE__ */ hookDecorator("beforeUpdate");
/** `@afterUpdate()`: runs after an update. */
export const afterUpdate: () => MethodDecorator = /* @__PURE__ */ hookDecorator("afterUpdate");
/** `@beforeDelete()`: runs before a delete. */
export const beforeDelete: () => MethodDecorator = /* @__PURE__ */ hookDecorator("beforeDelete");
/** `@afterDelete()`: runs after a delete. */
export const afterDelete: () => MethodDecorator = /* @__PURE__ */ hookDecorator("afterDelete");

/** Registers a hook function on a model class (and its subclasses). */
export function registerHook(model: object, event: HookEvent, hook: Hook): void {
  if (!HOOK_EVENTS.includes(event)) throw new ConfigurationError(`unknown hook event "${event}" (expected one of ${HOOK_EVENTS.join(", ")})`);
  let byEvent = registered.get(model);
  if (!byEvent) registered.set(model, (byEvent = new Map()));
  byEvent.set(event, [...(byEvent.get(event) ?? []), hook]);
  generation++;
}

function hooksOf(model: object): Map<HookEvent, readonly Hook[]> {
  const cached = resolved.get(model);
  if (cached?.generation === generation) return cached.hooks;
  const hooks = new Map<HookEvent, readonly Hook[]>();
  for (const record of collectRecords<HookRecord>(model, HOOKS_KEY)) {
    const method = record.method;
    const list = hooks.get(record.event) ?? [];
    hooks.set(record.event, [...list, (r: unknown) => (r as Record<string, () => unknown>)[method]!()]);
  }
  const chain: object[] = [];
  for (let c: object | null = model; c && c !== Function.prototype; c = Object.getPrototypeOf(c)) chain.unshift(c);
  for (const c of chain) {
    for (const [event, list] of registered.get(c) ?? []) hooks.set(event, [...(hooks.get(event) ?? []), ...list]);
  }
  resolved.set(model, { generation, hooks });
  return hooks;
}

export function hasHooks(model: object, ...events: HookEvent[]): boolean {
  const hooks = hooksOf(model);
  return events.some((e) => (hooks.get(e)?.length ?? 0) > 0);
}

/** Runs a record's hooks for an event, in declaration order, one after another. */
export async function runHooks(model: object, record: object, event: HookEvent): Promise<void> {
  const list = hooksOf(model).get(event);
  if (!list) return;
  for (const hook of list) await hook(record);
}
