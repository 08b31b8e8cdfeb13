/**
 * `query.onPrimary()`: the model, bound to its replica set's primary. Like
 * `Model.using(tx)` it is a subclass made once per model, whose session is
 * the primary-only session, so every terminal method of the query reads the
 * primary without the query knowing about replicas. A model on a single
 * database (or bound to a transaction) is returned as it is: it reads the
 * primary already.
 */
import { ReplicaSet } from "../backend/replicas/replica-set.ts";
import { primarySessionOf, RoutingSession } from "../transaction/routing.ts";
import { bindEphemeral, sessionOf } from "./binding.ts";

const bound = new WeakMap<ReplicaSet, WeakMap<object, object>>();

export function onPrimaryModel<M extends abstract new () => object>(model: M): M {
  const session = sessionOf(model);
  // Only a routing session can read a replica; a transaction handle or a primary session already reads the primary.
  if (!(session instanceof RoutingSession) || session.forcePrimary) return model;
  const set = session.backend;
  let byModel = bound.get(set);
  if (!byModel) bound.set(set, (byModel = new WeakMap()));
  let Bound = byModel.get(model) as M | undefined;
  if (!Bound) {
    const Parent = model as unknown as abstract new () => object;
    Bound = class extends Parent {} as unknown as M;
    Object.defineProperty(Bound, "name", { value: model.name });
    bindEphemeral(Bound, primarySessionOf(set));
    byModel.set(model, Bound);
  }
  return Bound;
}
