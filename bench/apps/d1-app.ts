/** The same minimal app as a Worker on D1. */
import { ActiveRecord, column, table } from "edgerecord";
import { D1Backend, type D1Database } from "edgerecord/d1";

@table("users")
class User extends ActiveRecord {
  @column.id() id!: number;
  @column.text() name!: string;
}

export default {
  async fetch(_request: Request, env: { DB: D1Database }): Promise<Response> {
    User.configure({ binding: env.DB }, D1Backend);
    return Response.json(await User.find(1));
  },
};
