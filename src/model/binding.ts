/**
 * Which backend each model uses, and the session its statements run through.
 * `Model.configure(...)` binds one model (and its subclasses);
 * `ActiveRecord.configure(...)` binds every model without a binding of its
 * own; `Model.using(tx)` makes a short-lived subclass bound to a transaction
 * handle.
 */
import type { Backend, BackendClass } from "../backend/backend.ts";
import { ConfigurationError } from "../errors.ts";
import type { TransactionHandle } from "../transaction/handle.ts";
import { sessionFor, type Session } from "../transaction/session.ts";
import { isReplicatedConfig } from "../backend/replicas/config.ts";

/** Model class -> its backend's session, for classes that configure() bound (they live as long as the program). */
const bindings = new Map<object, Session>();
/** Short-lived bindings (a model bound to one transaction handle, or to a primary for `onPrimary()`): weak, so they go with it. */
const ephemeral = new WeakMap<object, Session>();
/** The framework's own base classes: asked for a backend, they answer with the only one in use. */
const roots = new WeakSet<object>();

export function markRootModel(model: object): void {
  roots.add(model);
}

/** Backends made from (class, config), so models configured alike share one connection. */
const made = new Map<BackendClass<unknown>, Map<string, Backend>>();

/** A backend, not a config: it runs statements and opens transactions (a transaction handle does not). */
export function isBackend(value: unknown): value is Backend {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Backend).execute === "function" &&
    "dialect" in value &&
    typeof (value as Backend).transactions?.begin === "function"
  );
}

/** Binds a class made for one transaction (Model.using(tx)) or for the primary: not counted among the backends in use. */
export function bindEphemeral(model: object, session: TransactionHandle | Session): void {
  ephemeral.set(model, session);
}

export function bind<C>(model: object, configOrBackend: C | Backend, BackendType?: BackendClass<C>): Backend {
  let backend: Backend;
  if (isBackend(configOrBackend)) backend = configOrBackend;
  else if (BackendType) backend = makeBackend(BackendType, configOrBackend as C);
  else {
    throw new ConfigurationError(
      "configure() takes a config and a backend class, e.g. configure({ url: \"file:app.db\" }, LibsqlBackend), or a backend instance",
    );
  }
  bindings.set(model, sessionFor(backend));
  return backend;
}

function makeBackend<C>(BackendType: BackendClass<C>, config: C): Backend {
  const key = stableKey(config);
  let byConfig = made.get(BackendType as BackendClass<unknown>);
  if (!byConfig) made.set(BackendType as BackendClass<unknown>, (byConfig = new Map()));
  let backend = byConfig.get(key);
  if (!backend) {
    // { primary, replicas }: one backend per node (shared with models configured with that node alone), routed by
    // what the class's withReplicas gives (PostgresBackend: a ReplicaSet). The routing code comes with the class, not the core.
    if (isReplicatedConfig(config)) {
      if (!BackendType.withReplicas) throw new ConfigurationError(`${BackendType.name} has no read replicas: configure({ primary, replicas }, ...) takes a backend class that offers them (PostgresBackend)`);
      backend = BackendType.withReplicas(makeBackend(BackendType, config.primary as C), config.replicas.map((r) => makeBackend(BackendType, r as C)), config);
    } else backend = new BackendType(config);
    byConfig.set(key, backend);
  }
  return backend;
}

/** Ids for values that are not plain data (a D1 binding, a client): two configs match only if they hold the same one. */
const identities = new WeakMap<object, number>();
let lastIdentity = 0;

function identity(value: object): string {
  let id = identities.get(value);
  if (id === undefined) identities.set(value, (id = ++lastIdentity));
  return `#${id}`;
}

/**
 * A key equal for equal plain configs. Walked by hand rather than with
 * JSON.stringify: that turns every binding object into {} (so env.DB and
 * env.OTHER would share one backend) and calls toJSON, which an RPC proxy
 * such as Miniflare's binding rejects.
 */
function stableKey(value: unknown): string {
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "function") return identity(value);
  if (value === null || typeof value !== "object") return String(JSON.stringify(value));
  if (Array.isArray(value)) return `[${value.map(stableKey).join(",")}]`;
  // Only object literals count as data; class instances and null-prototype proxies (Miniflare's bindings) are identities.
  if (Object.getPrototypeOf(value) !== Object.prototype) return identity(value);
  const entries = Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stableKey((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(",")}}`;
}

/**
 * The session `model` runs its statements through: the transaction handle of
 * a `Model.using(tx)` class, else the session of the backend bound to the
 * model or its nearest ancestor. Throws a ConfigurationError that says how to
 * bind one.
 */
export function sessionOf(model: object & { name: string }): Session {
  for (let c: object | null = model; c && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    const session = bindings.get(c) ?? ephemeral.get(c);
    if (session) return session;
  }
  // ActiveRecord itself (ActiveRecord.transaction, ...) means "the database", when there is only one.
  if (roots.has(model)) {
    const distinct = new Set(bindings.values());
    if (distinct.size === 1) return distinct.values().next().value!;
    if (distinct.size > 1) {
      throw new ConfigurationError(
        `${model.name} has no backend of its own and models use ${distinct.size} different ones: call transaction() etc. on a model (User.transaction(...)) to say which`,
      );
    }
  }
  throw new ConfigurationError(
    `${model.name} is not bound to a database: call ${model.name}.configure({ url: "file:app.db" }, LibsqlBackend) ` +
      `(or ActiveRecord.configure(...) for every model) before using it`,
  );
}

export function unbind(model: object): void {
  bindings.delete(model);
}

/** Disconnects every backend that configure() made, and forgets them. */
export async function disconnectAll(): Promise<void> {
  const backends = [...made.values()].flatMap((m) => [...m.values()]);
  made.clear();
  await Promise.all(backends.map((b) => b.disconnect()));
}
