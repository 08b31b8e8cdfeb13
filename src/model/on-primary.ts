/**
 * `query.onPrimary()`: the model, bound to its replica set's primary. Like
 * `Model.using(tx)` it is a subclass made once per model, whose session is
 * the primary-only session, so every terminal method of the query reads the
 * primary without the query knowing about replicas. A model on a single
 * database (or bound to a transaction) is returned as it is: it reads the
 * primary already. Which session reads the primary is the session's own
 * answer (`Session.primary`), so nothing here depends on replicas.
 */
import type { Session } from "../transaction/session.ts";
import { bindEphemeral, sessionOf } from "./binding.ts";

const bound = new WeakMap<Session, WeakMap<object, object>>();

export function onPrimaryModel<M extends abstract new () => object>(model: M): M {
  const session = sessionOf(model);
  // Only a session that can read a replica has a primary-only one; a transaction handle or a backend's session already reads the primary.
  const primary = session.primary;
  if (!primary) return model;
  let byModel = bound.get(session);
  if (!byModel) bound.set(session, (byModel = new WeakMap()));
  let Bound = byModel.get(model) as M | undefined;
  if (!Bound) {
    const Parent = model as unknown as abstract new () => object;
    Bound = class extends Parent {} as unknown as M;
    Object.defineProperty(Bound, "name", { value: model.name });
    bindEphemeral(Bound, primary);
    byModel.set(model, Bound);
  }
  return Bound;
}
