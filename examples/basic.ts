/**
 * The quick-start example: decorated models with a relation, a hook and
 * validation, on an embedded libSQL file. Run it with `npm run example`.
 */
import { z } from "zod";
import { ActiveRecord, afterCommit, beforeSave, belongsTo, between, column, fn, hasMany, table, ValidationError } from "edgerecord";
import { LibsqlBackend } from "edgerecord/libsql";

@table("users")
class User extends ActiveRecord {
  @column.id() id!: number;
  @column.text({ unique: true, validate: z.email() }) email!: string;
  @column.text({ nullable: true }) name!: string | null;
  @column.integer({ default: 0, index: true }) age!: number;
  @column.createdAt() createdAt!: Date;
  @hasMany(() => Post) posts?: Post[]; // optional: present once loaded (with/load narrow the type)
}

// Posts hold nothing but columns and a relation: loaded posts can skip the constructor.
@table("posts", { hydration: "prototype" })
class Post extends ActiveRecord {
  @column.id() id!: number;
  @column.integer({ references: { table: "users", onDelete: "cascade" } }) userId!: number;
  @column.text() title!: string;
  @column.updatedAt() updatedAt!: Date;
  @belongsTo(() => User) user?: User;

  @beforeSave()
  tidyTitle() {
    this.title = this.title.trim();
  }
}

ActiveRecord.configure({ url: "file:example.db" }, LibsqlBackend);

await Post.dropTable({ ifExists: true });
await User.dropTable({ ifExists: true });
await User.createTable();
await Post.createTable();

const ann = await User.create({ email: "ann@example.com", name: "Ann", age: 31 });
await User.insertMany([
  { email: "abe@example.com", name: "Abe", age: 45 },
  { email: "bob@example.com", name: "Bob", age: 22 },
  { email: "cat@example.com", age: 31 },
]);

await ActiveRecord.transaction(async () => {
  ann.name = "Annie";
  await ann.save(); // UPDATE of the changed column only
  await ann.related("posts").create({ title: "  Hello, edge  " });
  afterCommit(() => console.log("committed: Annie and her post"));
  await ActiveRecord.transaction(async () => {
    await User.create({ email: "temp@example.com" });
    throw new Error("changed my mind"); // rolls back this savepoint only
  }).catch(() => undefined);
});

try {
  await User.create({ email: "not-an-email" });
} catch (error) {
  if (error instanceof ValidationError) console.log("rejected:", error.issues);
}

const thirties = await User.where({ age: between(30, 39) }).with("posts").orderBy("name").all();
console.log("in their thirties:", JSON.stringify(thirties, null, 2));
console.log("by age:", await User.query().select("age", fn.count().as("people")).groupBy("age").orderBy("age").rows());
console.log("authors:", await User.whereHas("posts").pluck("name"), "count:", await User.count(), "average age:", await User.avg("age"));

await ActiveRecord.disconnectAll();
