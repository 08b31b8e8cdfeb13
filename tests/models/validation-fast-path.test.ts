/** The cheap checks that skip zod must never accept a value zod would refuse. */
import { describe, expect, it } from "vitest";
import { getModelMetadata } from "../../src/index.ts";
import { fastAccept } from "../../src/model/validation.ts";
import { attributeSchema } from "../../src/model/zod-schemas.ts";
import { decoratorMode } from "../support/mode.ts";
import { Sample, User } from "../support/models.ts";
import { Post } from "../support/blog.ts";

const VALUES: unknown[] = [
  null, 0, 1, -1, 1.5, NaN, Infinity, -Infinity, 2 ** 53, -(2 ** 53), 9007199254740991, 1n, 2n ** 64n,
  "", "x", "x".repeat(21), "draft", "archived", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "1.5", "ann@example.com", "-2.5e3", ".5",
  true, false, new Date(0), new Date(Number.NaN), new Uint8Array([1]), new ArrayBuffer(1), {}, [], { a: 1 },
];

describe(`validation fast path agrees with zod (${decoratorMode})`, () => {
  for (const model of [User, Sample, Post]) {
    for (const a of getModelMetadata(model).attributes) {
      const accept = fastAccept(a);
      if (!accept) continue;
      it(`${model.name}.${a.property} (${a.type})`, () => {
        const schema = attributeSchema(a);
        for (const value of VALUES) {
          if (accept(value)) expect(schema.safeParse(value).success, `fast path accepted ${String(value)}`).toBe(true);
        }
        expect(VALUES.some((v) => accept(v))).toBe(true);
      });
    }
  }
});
