/** A small blog schema for relation and lifecycle tests, compiled in both decorator modes. */
import {
  ActiveRecord,
  beforeSave,
  belongsTo,
  column,
  hasMany,
  hasOne,
  manyToMany,
  startsWith,
  table,
  type Backend,
  type ModelQuery,
} from "../../src/index.ts";

@table("authors")
export class Author extends ActiveRecord {
  @column.id() id!: number;
  @column.text() name!: string;
  @column.text({ hidden: true, nullable: true }) passwordHash!: string | null;
  @hasMany(() => Post) posts!: Post[];
  @hasOne(() => Profile) profile!: Profile | null;
}

@table("profiles")
export class Profile extends ActiveRecord {
  @column.id() id!: number;
  @column.integer({ references: { table: "authors", onDelete: "cascade" } }) authorId!: number;
  @column.text() bio!: string;
  @belongsTo(() => Author) author!: Author;
}

@table("posts")
export class Post extends ActiveRecord {
  @column.id() id!: number;
  @column.integer({ references: { table: "authors", onDelete: "cascade" } }) authorId!: number;
  @column.text() title!: string;
  @column.enumOf(["draft", "published"], { default: "draft" }) status!: "draft" | "published";
  @column.createdAt() createdAt!: Date;
  @column.updatedAt() updatedAt!: Date;
  @column.deletedAt() deletedAt!: Date | null;
  @column.version() version!: number;
  @belongsTo(() => Author) author!: Author;
  @hasMany(() => Comment) comments!: Comment[];
  @manyToMany(() => Tag, { through: "post_tags" }) tags!: Tag[];

  static published = (query: ModelQuery<Post>) => query.where({ status: "published" });
  static titled = (query: ModelQuery<Post>, prefix: string) => query.where({ title: startsWith(prefix) });

  @beforeSave()
  trimTitle() {
    this.title = this.title.trim();
  }
}

@table("comments")
export class Comment extends ActiveRecord {
  @column.id() id!: number;
  @column.integer({ references: { table: "posts", onDelete: "cascade" } }) postId!: number;
  @column.text() body!: string;
  @column.boolean({ default: true }) approved!: boolean;
  @belongsTo(() => Post) post!: Post;
}

@table("tags")
export class Tag extends ActiveRecord {
  @column.id() id!: number;
  @column.text({ unique: true }) name!: string;
  @manyToMany(() => Post, { through: "post_tags" }) posts!: Post[];
}

export const BLOG = [Author, Profile, Post, Comment, Tag] as const;

/** Binds the blog models to a backend and creates their tables (and the join table). */
export async function setUpBlog(backend: Backend): Promise<void> {
  for (const model of BLOG) model.configure(backend);
  for (const model of BLOG) await model.createTable();
  await Author.execute(
    'CREATE TABLE "post_tags" ("post_id" INTEGER NOT NULL REFERENCES "posts" ("id") ON DELETE CASCADE, "tag_id" INTEGER NOT NULL REFERENCES "tags" ("id") ON DELETE CASCADE, PRIMARY KEY ("post_id", "tag_id"))',
  );
}

/** Counts the statements a backend runs while `work` runs (on the backend and in its transactions). */
export async function countStatements<T>(backend: Backend, work: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const statements: string[] = [];
  const execute = backend.execute;
  const begin = backend.transactions.begin;
  backend.execute = (q) => (statements.push(q.sql), execute.call(backend, q));
  (backend.transactions as { begin: typeof begin }).begin = async (options) => {
    const tx = await begin.call(backend.transactions, options);
    const run = tx.execute;
    tx.execute = (q) => (statements.push(q.sql), run.call(tx, q));
    return tx;
  };
  try {
    return { result: await work(), statements };
  } finally {
    backend.execute = execute;
    (backend.transactions as { begin: typeof begin }).begin = begin;
  }
}
