/**
 * The ambient transaction scope: the one module that imports a Node built-in.
 * AsyncLocalStorage exists on Node, Deno, Bun and workerd (with the
 * `nodejs_als` or `nodejs_compat` flag). Only `run` is used: workerd has no
 * `enterWith`.
 */
import { AsyncLocalStorage } from "node:async_hooks";

/** Which open transaction (if any) each backend has in the current async context. */
export type ScopeMap<K, V> = ReadonlyMap<K, V>;

const storage = new AsyncLocalStorage<ScopeMap<unknown, unknown>>();

export function currentScope<K, V>(key: K): V | undefined {
  return storage.getStore()?.get(key) as V | undefined;
}

/** Runs `work` with `key` bound to `value`, on top of whatever else the context holds. */
export function runInScope<K, V, T>(key: K, value: V | undefined, work: () => Promise<T>): Promise<T> {
  const next = new Map(storage.getStore() ?? []);
  if (value === undefined) next.delete(key);
  else next.set(key, value);
  return storage.run(next, work);
}
