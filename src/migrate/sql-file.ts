/**
 * Plain `.sql` migrations. The text is the `up`; a `-- migrate:down` line
 * starts the `down` (and an optional `-- migrate:up` line the up), as dbmate
 * writes them. `-- migrate:no-transaction` runs it outside a transaction.
 * Statements are split on `;` outside quotes and comments, since a backend
 * runs one statement per call.
 */
import type { Operation } from "./operations.ts";

export interface SqlMigrationText {
  readonly up: string;
  readonly down?: string;
  readonly transaction: boolean;
}

export function parseSqlMigration(text: string): SqlMigrationText {
  const down = /^--\s*migrate:down\s*$/im.exec(text);
  const upText = (down ? text.slice(0, down.index) : text).replace(/^--\s*migrate:up\s*$/im, "");
  return { up: upText, ...(down && { down: text.slice(down.index + down[0].length) }), transaction: !/^--\s*migrate:no-transaction\s*$/im.test(text) };
}

/** One raw operation per statement; `?` in the text stays text (a .sql file binds nothing). */
export function sqlOperations(text: string): Operation[] {
  return splitStatements(text).map((sql) => ({ op: "raw", strings: [sql], params: [] }));
}

/** Splits SQL text into statements on `;` outside quotes, comments and dollar quoting; comment-only chunks are dropped. */
export function splitStatements(text: string): string[] {
  const out: string[] = [];
  let current = "";
  let i = 0;
  const push = () => {
    const statement = current.trim();
    // A chunk of only comments is no statement.
    if (statement.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, "").trim()) out.push(statement);
    current = "";
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === "'" || ch === '"' || ch === "`") {
      const end = text.indexOf(ch, i + 1);
      const stop = end < 0 ? text.length : end + 1;
      current += text.slice(i, stop);
      i = stop;
    } else if (ch === "-" && text[i + 1] === "-") {
      const end = text.indexOf("\n", i);
      const stop = end < 0 ? text.length : end;
      current += text.slice(i, stop);
      i = stop;
    } else if (ch === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      const stop = end < 0 ? text.length : end + 2;
      current += text.slice(i, stop);
      i = stop;
    } else if (ch === "$" && /^\$[A-Za-z_]*\$/.test(text.slice(i))) {
      // PostgreSQL dollar quoting (function bodies hold semicolons).
      const tag = /^\$[A-Za-z_]*\$/.exec(text.slice(i))![0];
      const end = text.indexOf(tag, i + tag.length);
      const stop = end < 0 ? text.length : end + tag.length;
      current += text.slice(i, stop);
      i = stop;
    } else if (ch === ";") {
      push();
      i++;
    } else {
      current += ch;
      i++;
    }
  }
  push();
  return out;
}
