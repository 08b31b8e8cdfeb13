/**
 * `Model.using(tx)`: the model, bound to an explicit transaction handle. It is
 * a subclass made once per (model, handle) whose session is the handle, so
 * every static and instance method (find, where, create, save...) runs in
 * that transaction without the query layer knowing about it. Records it
 * returns are instances of the model (`instanceof` holds) that stay bound to
 * the handle: once the transaction ends, reload them through the model.
 */
import { TransactionError } from "../errors.ts";
import { isTransactionHandle, type TransactionHandle } from "../transaction/handle.ts";
import { bindEphemeral } from "./binding.ts";

const bound = new WeakMap<TransactionHandle, Map<object, object>>();

export function usingTransaction<M extends abstract new () => object>(model: M, tx: TransactionHandle): M {
  if (!isTransactionHandle(tx)) {
    throw new TransactionError(`${model.name}.using(tx) takes the handle a transaction(async (tx) => ...) callback receives`);
  }
  let byModel = bound.get(tx);
  if (!byModel) bound.set(tx, (byModel = new Map()));
  let Bound = byModel.get(model) as M | undefined;
  if (!Bound) {
    // An anonymous subclass: it inherits the parent's metadata (table, columns) and keeps its name for messages.
    const Parent = model as unknown as abstract new () => object;
    Bound = class extends Parent {} as unknown as M;
    Object.defineProperty(Bound, "name", { value: model.name });
    bindEphemeral(Bound, tx);
    byModel.set(model, Bound);
  }
  return Bound;
}
