/**
 * Embedded libSQL has one connection: concurrent scopes must take turns on it
 * (the backend's Mutex), never interleave. Each test here would fail if they
 * interleaved: lost updates, or one scope seeing another's uncommitted rows.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ActiveRecord } from "../../src/index.ts";
import { decoratorMode } from "../support/mode.ts";
import { Account, freshBackend, gate, yieldTurns } from "./support.ts";

for (const kind of ["memory", "file"] as const) {
  describe(`concurrent scopes on libSQL ${kind} (${decoratorMode})`, () => {
    let db: Awaited<ReturnType<typeof freshBackend>>;

    beforeEach(async () => {
      db = await freshBackend(kind);
      ActiveRecord.configure(db.backend);
      await Account.createTable();
    });
    afterEach(() => db.cleanup());

    it("serialises 50 read-modify-write scopes: no update is lost", async () => {
      const counter = await Account.create({ owner: "counter", balance: 0 });
      const increments = 50;
      await Promise.all(
        Array.from({ length: increments }, () =>
          ActiveRecord.transaction(async () => {
            const row = await Account.findOrFail(counter.id);
            await yieldTurns(2); // every other scope gets a chance to run here, if anything lets it
            row.balance += 1;
            await row.save();
          }),
        ),
      );
      await counter.reload();
      expect(counter.balance).toBe(increments);
    });

    it("a rollback in one scope leaves the concurrent others intact, and none sees another's uncommitted rows", async () => {
      const seen: Record<string, string[]> = {};
      const scope = (owner: string, fail: boolean) =>
        ActiveRecord.transaction(async () => {
          await Account.create({ owner });
          await yieldTurns(3);
          seen[owner] = await Account.orderBy("id").pluck("owner");
          if (fail) throw new Error(`${owner} fails`);
        });
      const results = await Promise.allSettled([scope("a", false), scope("b", true), scope("c", false), scope("d", true), scope("e", false)]);
      expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled", "rejected", "fulfilled"]);
      expect(await Account.orderBy("id").pluck("owner")).toEqual(["a", "c", "e"]);
      // Each scope saw its own row plus rows committed before it, never a failing scope's row.
      for (const [owner, rows] of Object.entries(seen)) {
        expect(rows).toContain(owner);
        expect(rows.filter((r) => r !== owner && (r === "b" || r === "d"))).toEqual([]);
      }
    });

    it("autocommit work outside the scope waits for it instead of reading its uncommitted rows", async () => {
      const inserted = gate();
      const finish = gate();
      const scope = ActiveRecord.transaction(async () => {
        await Account.create({ owner: "uncommitted" });
        inserted.open();
        await finish.promise;
        throw new Error("rolled back");
      }).catch((e: unknown) => e);
      await inserted.promise;
      // Started while the scope holds the connection: it may only run after the rollback.
      const count = Account.count();
      await yieldTurns(3);
      finish.open();
      expect(await count).toBe(0);
      expect(await scope).toBeInstanceOf(Error);
    });

    it("concurrent scopes run one after another, never interleaved", async () => {
      const order: string[] = [];
      await Promise.all(
        ["x", "y", "z"].map((owner) =>
          ActiveRecord.transaction(async () => {
            order.push(`begin ${owner}`);
            await Account.create({ owner });
            await yieldTurns(2);
            order.push(`end ${owner}`);
          }),
        ),
      );
      // Serialised: every scope ends before the next begins.
      expect(order).toEqual(["begin x", "end x", "begin y", "end y", "begin z", "end z"]);
    });
  });
}
