import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ActiveRecord, ConfigurationError, type Backend } from "../../src/index.ts";
import { BACKENDS } from "../support/backends.ts";
import { Author, Comment, countStatements, Post, Profile, setUpBlog, Tag } from "../support/blog.ts";
import { decoratorMode } from "../support/mode.ts";

describe.each(BACKENDS)(`relations on $name (${decoratorMode})`, (fixture) => {
  let backend: Backend;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ backend, close } = await fixture.open());
    await setUpBlog(backend);
    const [ann, bob] = await Author.insertMany([{ name: "Ann" }, { name: "Bob" }]);
    await Profile.create({ authorId: ann!.id, bio: "writes" });
    const posts = await Post.insertMany([
      { authorId: ann!.id, title: "A1", status: "published" },
      { authorId: ann!.id, title: "A2" },
      { authorId: bob!.id, title: "B1", status: "published" },
    ]);
    await Comment.insertMany([
      { postId: posts[0]!.id, body: "nice" },
      { postId: posts[0]!.id, body: "spam", approved: false },
      { postId: posts[2]!.id, body: "ok" },
    ]);
    const [ts, db] = await Tag.insertMany([{ name: "ts" }, { name: "db" }]);
    await posts[0]!.related("tags").attach(ts!, db!);
    await posts[2]!.related("tags").attach(db!.id);
  });
  afterEach(() => close());

  it("eager-loads every relation kind with one query per relation and level", async () => {
    const { result: authors, statements } = await countStatements(backend, () =>
      Author.with("posts.comments", "posts.tags", "profile").orderBy("id").all(),
    );
    expect(statements).toHaveLength(5);
    const [ann, bob] = authors;
    expect(ann!.profile?.bio).toBe("writes");
    expect(bob!.profile).toBeNull();
    expect(ann!.posts.map((p) => p.title).sort()).toEqual(["A1", "A2"]);
    const a1 = ann!.posts.find((p) => p.title === "A1")!;
    expect(a1.comments.map((c) => c.body).sort()).toEqual(["nice", "spam"]);
    expect(a1.tags.map((t) => t.name).sort()).toEqual(["db", "ts"]);
    expect(ann!.posts.find((p) => p.title === "A2")!.tags).toEqual([]);
    expect(bob!.posts[0]!.tags.map((t) => t.name)).toEqual(["db"]);

    const { result: posts, statements: more } = await countStatements(backend, () => Post.with("author").all());
    expect(more).toHaveLength(2);
    expect(posts.map((p) => p.author.name).sort()).toEqual(["Ann", "Ann", "Bob"]);
  });

  it("loads lazily into one record", async () => {
    const post = await Post.findOrFail(1);
    expect(post.author).toBeUndefined();
    await post.load("author", "tags");
    expect(post.author.name).toBe("Ann");
    expect(post.tags).toHaveLength(2);
    expect(await post.related("comments").count()).toBe(2);
    expect((await post.related("tags").query().orderBy("name").pluck("name"))).toEqual(["db", "ts"]);
  });

  it("filters by a relation's existence", async () => {
    expect(await Author.whereHas("posts", { status: "published" }).orderBy("name").pluck("name")).toEqual(["Ann", "Bob"]);
    expect(await Author.whereHas("profile").pluck("name")).toEqual(["Ann"]);
    expect(await Author.whereDoesntHave("profile").pluck("name")).toEqual(["Bob"]);
    expect(await Post.whereHas("comments", (q) => q.where({ approved: false })).pluck("title")).toEqual(["A1"]);
    expect(await Post.whereHas("tags", { name: "ts" }).pluck("title")).toEqual(["A1"]);
    expect(await Post.whereDoesntHave("tags").pluck("title")).toEqual(["A2"]);
    expect(await Comment.whereHas("post", { title: "B1" }).pluck("body")).toEqual(["ok"]);
    expect(() => Post.whereHas("nope" as never)).toThrow('Post has no relation "nope" (known: author, comments, tags)');
  });

  it("creates and links through relations", async () => {
    const ann = await Author.findOrFail(1);
    const post = await ann.related("posts").create({ title: "A3" });
    expect(post.authorId).toBe(ann.id);
    const tag = await post.related("tags").create({ name: "new" });
    expect((await post.load("tags")).tags.map((t) => t.id)).toEqual([tag.id]);
    expect(await post.related("tags").detach(tag)).toBe(1);
    await post.related("tags").sync([1, 2]);
    expect((await post.related("tags").query().orderBy("id").pluck("id"))).toEqual([1, 2]);
    expect(await post.related("tags").detach()).toBe(2);

    const comment = new Comment();
    comment.assign({ body: "linked" });
    comment.related("post").associate(post);
    await comment.save();
    expect((await comment.load("post")).post.title).toBe("A3");
    await expect(comment.related("post").attach(1)).rejects.toThrow(ConfigurationError);
  });

  it("rolls relation writes back with their transaction", async () => {
    const ann = await Author.findOrFail(1);
    await expect(
      ActiveRecord.transaction(async () => {
        const post = await ann.related("posts").create({ title: "doomed" });
        await post.related("tags").attach(1);
        await post.related("comments").create({ body: "also doomed" });
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    expect(await Post.count({ title: "doomed" })).toBe(0);
    expect(await Comment.count({ body: "also doomed" })).toBe(0);
    expect(await Post.whereHas("tags").count()).toBe(2);
  });

  it("deletes dependents through the database's ON DELETE CASCADE", async () => {
    const bob = await Author.findOrFail(2);
    await bob.forceDelete();
    expect(await Post.withTrashed().where({ authorId: 2 }).count()).toBe(0);
    expect(await Comment.count({ body: "ok" })).toBe(0);
  });

  it("serialises loaded relations, leaving hidden fields out", async () => {
    const ann = await Author.findOrFail(1);
    ann.passwordHash = "secret";
    await ann.save();
    await ann.load("profile", "posts");
    const json = ann.toJSON();
    expect(json).not.toHaveProperty("passwordHash");
    expect(json["profile"]).toEqual({ id: 1, authorId: 1, bio: "writes" });
    expect((json["posts"] as { title: string; createdAt: string }[]).map((p) => p.title).sort()).toEqual(["A1", "A2"]);
    expect(typeof (json["posts"] as { createdAt: unknown }[])[0]!.createdAt).toBe("string");
    expect(JSON.stringify(await Author.findOrFail(2))).toBe('{"id":2,"name":"Bob"}');
  });
});
