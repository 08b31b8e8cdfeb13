/**
 * The ambient transaction scope: the one module that touches a Node built-in.
 *
 * AsyncLocalStorage exists on Node, Deno, Bun and workerd, but on workerd only
 * with the `nodejs_als` or `nodejs_compat` compatibility flag. A static
 * `import ... from "node:async_hooks"` would make importing EdgeRecord itself
 * fail on a Worker without those flags, so the class is resolved lazily, once,
 * the first time a scope is needed:
 *
 * 1. `globalThis.AsyncLocalStorage`, which Vercel Edge and Next.js's edge
 *    runtime provide without any import;
 * 2. else a dynamic `import("node:async_hooks")` (Node, Deno, Bun, workerd with
 *    a flag). It is not a top-level await: older wrangler/esbuild targets
 *    reject top-level await, and a module graph that awaits at load time would
 *    delay every importer. Starting a scope is async anyway, so it awaits there.
 *
 * Until it has resolved no scope can have been started, so synchronous lookups
 * (`currentScope`) correctly answer "none". Only `run` is used: workerd has no
 * `enterWith`.
 *
 * Besides the per-context store there is a *pinned* scope per key, for test
 * harnesses: one long transaction that every context shares (the test state
 * manager holds it open across beforeEach/test/afterEach hooks, which run in
 * unrelated async contexts that `run` cannot reach).
 */

interface Storage<T> {
  getStore(): T | undefined;
  run<R>(store: T, work: () => R): R;
}
type StorageClass = new <T>() => Storage<T>;
type Store = ReadonlyMap<unknown, unknown>;

/** undefined: not looked up yet; null: this runtime has none. */
let storage: Storage<Store> | null | undefined;
let loading: Promise<boolean> | undefined;
const pinned = new Map<unknown, unknown>();

/** The key under which each store records the innermost scope entered, whatever its key. */
export const INNERMOST: unique symbol = Symbol("edgerecord.innermostScope");

/** The flags a Cloudflare Worker needs for ambient scopes; named in errors. */
export const SCOPE_FLAGS_HINT =
  'AsyncLocalStorage is not available in this runtime: on Cloudflare Workers add compatibility_flags = ["nodejs_als"] ' +
  '(or ["nodejs_compat"]) to wrangler.toml, or use the explicit form: transaction(async (tx) => { await User.using(tx).create(...) })';

/** Resolves (once) whether ambient scopes are possible here. Never rejects. */
export function loadScopeStorage(): Promise<boolean> {
  if (storage !== undefined) return Promise.resolve(storage !== null);
  loading ??= resolveStorageClass().then((StorageType) => {
    storage = StorageType ? new StorageType<Store>() : null;
    return storage !== null;
  });
  return loading;
}

async function resolveStorageClass(): Promise<StorageClass | null> {
  const fromGlobal = (globalThis as { AsyncLocalStorage?: unknown }).AsyncLocalStorage;
  if (isStorageClass(fromGlobal)) return fromGlobal;
  try {
    const hooks = (await import("node:async_hooks")) as { AsyncLocalStorage?: unknown };
    return isStorageClass(hooks.AsyncLocalStorage) ? hooks.AsyncLocalStorage : null;
  } catch {
    // workerd without a flag: "No such module". Ambient scopes are off; the explicit form still works.
    return null;
  }
}

function isStorageClass(value: unknown): value is StorageClass {
  return typeof value === "function" && typeof (value as { prototype?: { run?: unknown } }).prototype?.run === "function";
}

/** The value bound to `key` in this async context, else the pinned one, else undefined. */
export function currentScope<K, V>(key: K): V | undefined {
  const own = storage?.getStore()?.get(key);
  return (own ?? pinned.get(key)) as V | undefined;
}

/**
 * Runs `work` with `key` bound to `value` (and `value` recorded as the
 * innermost scope), on top of whatever else the context holds. Call only after
 * `loadScopeStorage()` resolved true.
 */
export function runInScope<K, V, T>(key: K, value: V, work: () => Promise<T>): Promise<T> {
  if (!storage) return Promise.reject(new Error(SCOPE_FLAGS_HINT));
  const next = new Map(storage.getStore() ?? []);
  next.set(key, value);
  next.set(INNERMOST, value);
  return storage.run(next, work);
}

/**
 * Runs `work` with `key` bound to `value`, leaving the innermost transaction
 * scope as it is: for request state (routing, read-your-writes) that lives in
 * the same store as the transactions but is not one.
 */
export function runWithValue<K, V, T>(key: K, value: V, work: () => Promise<T>): Promise<T> {
  if (!storage) return Promise.reject(new Error(SCOPE_FLAGS_HINT));
  const next = new Map(storage.getStore() ?? []);
  next.set(key, value);
  return storage.run(next, work);
}

/** Binds `value` to `key` for every context without a binding of its own (test harnesses only). */
export function pinScope<K, V>(key: K, value: V): void {
  if (pinned.has(key)) throw new Error("a pinned scope is already open for this key");
  pinned.set(key, value);
  pinned.set(INNERMOST, value);
}

export function unpinScope<K>(key: K): void {
  const value = pinned.get(key);
  pinned.delete(key);
  if (pinned.get(INNERMOST) === value) pinned.delete(INNERMOST);
}

/** The value pinned to `key`, if any. */
export function pinnedScope<K, V>(key: K): V | undefined {
  return pinned.get(key) as V | undefined;
}
