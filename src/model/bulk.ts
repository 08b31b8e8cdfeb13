/** Many rows at once: insertMany and upsert, validated up front, all or nothing. */
import type { QueryResult } from "../backend/backend.ts";
import type { InsertQuery } from "../query/ast.ts";
import { ArgumentError, ConfigurationError, TransactionError, ValidationError, type ValidationIssue } from "../errors.ts";
import type { ActiveRecord } from "./active-record.ts";
import { sessionOf } from "./binding.ts";
import { execute } from "./execution.ts";
import { getModelMetadata } from "./metadata.ts";
import { assignmentEntries } from "./assignment.ts";
import { fillNew } from "./persistence.ts";
import { hydrator } from "./hydration.ts";
import { markSaved } from "./state.ts";
import { forgetOnRollback } from "./rollback-state.ts";
import type { ModelClass } from "./types.ts";
import { runTransaction } from "../transaction/runner.ts";
import type { Session } from "../transaction/session.ts";
import { getModelValidation } from "./validation.ts";

type Values = Record<string, unknown>;

export interface BulkOptions {
  /** Return records (default) or only the count. */
  readonly returning: boolean;
  /** Upsert: the unique attributes a conflict is detected on, and the attributes to overwrite. */
  readonly onConflict?: { readonly uniqueBy: readonly string[]; readonly update?: readonly string[] };
  /** Lets guarded attributes through (see WriteOptions). */
  readonly allowGuarded: boolean;
}

export async function insertRows<T extends ActiveRecord>(model: ModelClass<T>, input: readonly Values[], options: BulkOptions): Promise<T[] | number> {
  if (!Array.isArray(input)) throw new ArgumentError(`${model.name}: insertMany and upsert take an array of attribute objects`);
  if (input.length === 0) return options.returning ? [] : 0;
  const metadata = getModelMetadata(model);
  const validation = getModelValidation(metadata);
  const issues: ValidationIssue[] = [];
  const now = new Date();
  const rows = input.map((source, index) => {
    const values: Values = Object.fromEntries(assignmentEntries(metadata, source, options));
    fillNew(metadata, values, now);
    try {
      validation.check(values);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      for (const issue of error.issues) issues.push({ field: `[${index}].${issue.field}`, message: issue.message });
    }
    return values;
  });
  if (issues.length) throw new ValidationError(metadata.name, issues);

  // Every row carries the same columns: those any row sets. Unset ones go as NULL.
  const present = metadata.attributes.filter((a) => rows.some((r) => r[a.property] !== undefined));
  for (const a of present) {
    if (a.schema.autoIncrement && rows.some((r) => r[a.property] === undefined)) {
      throw new ConfigurationError(`${metadata.name}.insertMany: "${a.property}" is set on some rows but not others; set it on all or none`);
    }
  }
  const session = sessionOf(model);
  const { maxParameters, returning: canReturn, upsert } = session.dialect.capabilities;
  let onConflict: InsertQuery["onConflict"];
  if (options.onConflict) {
    if (!upsert) throw new TransactionError(`${session.dialect.name} has no upsert (INSERT ... ON CONFLICT)`);
    const uniqueBy = options.onConflict.uniqueBy.map((p) => metadata.attribute(p));
    const update = options.onConflict.update
      ? options.onConflict.update.map((p) => metadata.attribute(p))
      : present.filter((a) => !uniqueBy.includes(a) && !a.schema.primaryKey && !a.options.autoCreate);
    // Nothing to overwrite still "updates" the key to itself, so that RETURNING gives back the existing row.
    const written = update.length ? update : uniqueBy;
    onConflict = { columns: uniqueBy.map((a) => a.column), update: written.map((a) => a.column) };
  }
  const perStatement = Math.max(1, Math.floor(maxParameters / Math.max(1, present.length)));
  const wantRows = options.returning && canReturn;
  const statements: InsertQuery[] = [];
  for (let start = 0; start < rows.length; start += perStatement) {
    statements.push({
      kind: "insert",
      table: metadata.table,
      columns: present.map((a) => a.column),
      types: present.map((a) => a.type),
      rows: rows.slice(start, start + perStatement).map((r) => present.map((a) => r[a.property] ?? null)),
      ...(wantRows ? { returning: metadata.attributes.map((a) => a.column) } : {}),
      ...(onConflict ? { onConflict } : {}),
    });
  }

  const results = await runAll(session, statements);
  if (!options.returning) return results.reduce((n, r) => n + r.affectedRows, 0);
  const records = wantRows
    ? results.flatMap((r) => r.rows).map(hydrator(model, metadata, session.dialect.values))
    : rows.map((values) => {
        const record = new model();
        Object.assign(record, values);
        markSaved(record, metadata.attributes);
        return record;
      });
  // An upsert's records may be rows that existed before: only plain inserts become new again on rollback.
  if (!onConflict) forgetOnRollback(session, records, metadata, input);
  return records;
}

/**
 * One statement is atomic on its own; several must apply all or none.
 * Outside a transaction: the backend's `batch()` where it has one (one call;
 * on D1 the only atomic unit, and one that answers RETURNING, which a D1
 * transaction cannot), else a transaction. Inside one: a savepoint, so that a
 * failure leaves no part of the rows behind; where a transaction is a batch
 * sent at commit, no savepoint is needed (or possible): nothing runs before
 * commit, and a failure there undoes the whole batch.
 */
async function runAll(session: Session, statements: readonly InsertQuery[]): Promise<QueryResult[]> {
  // Through the handle, not the ambient scope, so this also works where AsyncLocalStorage is missing.
  const run = async (target: Session) => {
    const results = [];
    for (const statement of statements) results.push(await execute(target, statement));
    return results;
  };
  if (statements.length === 1) return run(session);
  // No transaction to join (a Model.using(tx) session always has one, even once it has ended).
  if (!session.transaction) {
    const { backend } = session;
    if (backend.batch) return backend.batch(statements.map((statement) => session.dialect.compile(statement)));
    return runTransaction(session, (tx) => run(tx));
  }
  if (!session.dialect.capabilities.interactiveTransactions) return run(session);
  return runTransaction(session, (tx) => run(tx));
}
