import { describe, expect, it } from "vitest";
import { ActiveRecord, column, table } from "../src/index.ts";
import { LibsqlBackend } from "../src/backend/libsql/index.ts";
import { decoratorMode } from "./support/mode.ts";

@table("users")
class User extends ActiveRecord {
  @column.id() id!: number;
  @column.text() name!: string;
}

describe(`smoke (${decoratorMode})`, () => {
  it("creates and finds", async () => {
    User.configure({ url: ":memory:" }, LibsqlBackend);
    await User.createTable();
    const u = await User.create({ name: "Ann" });
    expect(u.id).toBe(1);
    const found = await User.find(1);
    expect(found?.name).toBe("Ann");
    expect(found).toBeInstanceOf(User);
  });
});
