import { describe, expect, it } from "vitest";
import { ActiveRecord, column, ConfigurationError, getModelMetadata, identityNaming, table } from "../../src/index.ts";
import { openLibsql } from "../support/libsql.ts";
import { decoratorMode } from "../support/mode.ts";
import { User } from "../support/models.ts";

describe(`decorators (${decoratorMode})`, () => {
  it("runs in the mode this project compiles with", () => {
    // Standard decorators leave Symbol.metadata on the class; legacy ones never do.
    expect(Object.hasOwn(User, Symbol.metadata)).toBe(decoratorMode === "tc39");
  });

  it("builds metadata without design:type", () => {
    const m = getModelMetadata(User);
    expect(m.table).toBe("users");
    expect(m.attributes.map((a) => [a.property, a.column, a.type])).toEqual([
      ["id", "id", "integer"],
      ["email", "email", "text"],
      ["name", "name", "text"],
      ["age", "age", "integer"],
      ["active", "active", "boolean"],
      ["createdAt", "created_at", "datetime"],
    ]);
    expect(m.primaryKey.map((a) => a.property)).toEqual(["id"]);
    expect(m.tableSchema.indexes.map((i) => i.name)).toEqual(["users_age_idx", "users_name_age_idx"]);
  });

  it("derives table names, honours column names, naming strategies and inheritance", () => {
    class Timestamped extends ActiveRecord {
      @column.id() id!: number;
      @column.datetime({ default: "now" }) updatedAt!: Date;
    }
    class BlogPost extends Timestamped {
      @column.text({ name: "heading" }) title!: string;
    }
    @table(undefined, { naming: identityNaming })
    class Category extends ActiveRecord {
      @column.id() id!: number;
      @column.text() displayName!: string;
    }
    const post = getModelMetadata(BlogPost);
    expect(post.table).toBe("blog_posts");
    expect(post.attributes.map((a) => a.column)).toEqual(["id", "updated_at", "heading"]);
    expect(getModelMetadata(Timestamped).attributes).toHaveLength(2);
    const category = getModelMetadata(Category);
    expect(category.table).toBe("Category");
    expect(category.attributes.map((a) => a.column)).toEqual(["id", "displayName"]);
  });

  it("gives records independent defaults and plain fields", async () => {
    class Doc extends ActiveRecord {
      @column.id() id!: number;
      @column.json({ default: { tags: [] } }) meta!: { tags: string[] };
    }
    const db = openLibsql("memory");
    Doc.configure(db.backend);
    await Doc.createTable();
    const a = await Doc.create({});
    const b = await Doc.create({});
    a.meta.tags.push("x");
    expect(b.meta.tags).toEqual([]);
    expect(Object.keys(a)).toEqual(["id", "meta"]);
    await db.close();
  });

  it("explains bad declarations", () => {
    class NoType extends ActiveRecord {
      @column({}) id!: number;
    }
    expect(() => getModelMetadata(NoType)).toThrow('NoType.id: @column needs a type, e.g. @column({ type: "text" })');
    class NoKey extends ActiveRecord {
      @column.text() name!: string;
    }
    expect(() => getModelMetadata(NoKey)).toThrow("NoKey has no primary key");
    class BadAuto extends ActiveRecord {
      @column.text({ primaryKey: true, autoIncrement: true }) id!: string;
    }
    expect(() => getModelMetadata(BadAuto)).toThrow("BadAuto.id: autoIncrement needs an integer or bigint column, not text");
    class BadNow extends ActiveRecord {
      @column.id() id!: number;
      @column.text({ default: "now" }) when!: string;
    }
    expect(() => getModelMetadata(BadNow)).toThrow(ConfigurationError);
    class Nothing extends ActiveRecord {}
    expect(() => getModelMetadata(Nothing)).toThrow("Nothing declares no columns");
    // The types refuse a field decorator on a method; this proves the runtime check too.
    const untyped: any = column.text(); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(() => {
      class OnMethod extends ActiveRecord {
        @untyped greet() {}
      }
      return OnMethod;
    }).toThrow(/goes on a public instance field/);
  });
});
