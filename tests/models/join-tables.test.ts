/**
 * A manyToMany join table made from the relation by createJoinTables(): no
 * model and no DDL written for it; links once per pair; on libSQL and
 * PostgreSQL.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ActiveRecord, column, IntegrityError, manyToMany, table, type Backend } from "../../src/index.ts";
import { BACKENDS } from "../support/backends.ts";
import { decoratorMode } from "../support/mode.ts";

@table("jt_posts")
class Post extends ActiveRecord {
  @column.id() id!: number;
  @column.text() title!: string;
  @manyToMany(() => Label) labels!: Label[];
}

@table("jt_labels")
class Label extends ActiveRecord {
  @column.id() id!: number;
  @column.text() name!: string;
}

describe.each(BACKENDS)(`join tables from manyToMany on $name (${decoratorMode})`, (fixture) => {
  let backend: Backend;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ backend, close } = await fixture.open());
    for (const m of [Post, Label]) m.configure(backend);
    for (const m of [Post, Label]) await m.createTable();
    await Post.createJoinTables();
    await Post.createJoinTables(); // IF NOT EXISTS: a second call is harmless
  });
  afterEach(async () => {
    for (const m of [Post, Label]) m.unconfigure();
    await close();
  });

  it("creates the join table the relation names, with a key per pair", async () => {
    const post = await Post.create({ title: "Hello" });
    const [ts, sql] = await Label.insertMany([{ name: "ts" }, { name: "sql" }]);
    await post.related("labels").attach(ts!, sql!.id);
    const [loaded] = await Post.with("labels").all();
    expect(loaded!.labels.map((l) => l.name).sort()).toEqual(["sql", "ts"]);
    expect(await Post.query().join("labels").where({ "labels.name": "sql" }).pluck("title")).toEqual(["Hello"]);
    const { rows } = await Post.execute('SELECT * FROM "post_jt_labels"');
    expect(rows).toHaveLength(2);
    await expect(post.related("labels").attach(ts!)).rejects.toBeInstanceOf(IntegrityError);
    expect(await post.related("labels").detach(ts!)).toBe(1);
    // The default name: <owner model>_<target table>, as the relation reads it.
    expect(await Label.createJoinTables()).toBeUndefined(); // a model without manyToMany has none
  });
});
