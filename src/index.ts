/**
 * EdgeRecord: an edge-first ActiveRecord for TypeScript.
 *
 * This entry is driver-free; backends come from their own entries
 * (`edgerecord/libsql`, `edgerecord/postgres`) so a bundle holds only the
 * driver it uses.
 */
import "./polyfill.ts";
import "reflect-metadata";

export { ActiveRecord, type PrimaryKeyValue, type Related } from "./model/active-record.ts";
export type { RecordSchema } from "./model/record-schema.ts";
export type { BatchOptions } from "./model/batches.ts";
export { column, table, type FieldDecorator, type ClassDecorator, type MethodDecorator } from "./model/decorators.ts";
export type { ColumnOptions, TableOptions, IndexOptions } from "./model/options.ts";
export { snakeCaseNaming, identityNaming, type NamingStrategy } from "./model/naming.ts";
export { setDefaultNamingStrategy, getModelMetadata, type ModelMetadata, type AttributeMetadata } from "./model/metadata.ts";
export { ModelQuery } from "./model/query.ts";
export type { QueryBuilder, Selected, SelectedQuery } from "./model/query-builder.ts";
export { belongsTo, hasOne, hasMany, hasManyThrough, manyToMany, type RelationOptions, type ManyToManyOptions, type ThroughOptions, type PolymorphicOptions, type BelongsToDecorator, type ModelThunk } from "./model/relations/decorators.ts";
export { RelatedQuery, type RelatedFilter, type RelatedKey } from "./model/relations/related.ts";
export {
  beforeValidate,
  afterValidate,
  beforeSave,
  afterSave,
  beforeCreate,
  afterCreate,
  beforeUpdate,
  afterUpdate,
  beforeDelete,
  afterDelete,
  HOOK_EVENTS,
  type HookEvent,
  type Hook,
} from "./model/hooks.ts";
export { fn, type Aggregate, type AggregateRow } from "./model/aggregates.ts";
export type {
  Attributes,
  AttributeName,
  CreateInput,
  WhereInput,
  AttributeCondition,
  Conditions,
  ModelClass,
  Direction,
  RelationPath,
  Loaded,
  LoadedRelations,
  LoadedValue,
  LoadedRecord,
  LoadedOne,
  PathHead,
  PathRest,
  RelatedColumn,
  QueryOf,
  RelatedColumnValue,
  RelatedWhereInput,
  RelationName,
  RelatedFilterFor,
  RecordBrand,
  BaseKeys,
  Shallower,
} from "./model/types.ts";
export {
  eq,
  ne,
  gt,
  gte,
  lt,
  lte,
  between,
  oneOf,
  notOneOf,
  isNull,
  isNotNull,
  like,
  startsWith,
  endsWith,
  contains,
  escapeLike,
  and,
  or,
  not,
  type Operator,
  type OperatorKind,
  type Group,
  type GroupItem,
  type WhereObjects,
} from "./query/operators.ts";
export type { WriteOptions } from "./model/assignment.ts";
export type { InsertInput, UpdateInput, JsonRecord, JsonForm, RequestSchemas } from "./model/request-schemas.ts";
export type { ZodSchemaLike, InputSchema, SafeParseResult, SchemaIssue, FieldSchema, OptionalFieldSchema, InputShape, OutputShape, ObjectSchema } from "./model/schema-types.ts";
export { inTransaction, type TransactionScopeOptions, type TransactionWork } from "./transaction/runner.ts";
export type { QueryEvent, QueryListener } from "./transaction/events.ts";
export { formatQueryEvent, logQueries, onSlowQuery, queryDetails, type QueryDetails, type QueryLogOptions } from "./transaction/log.ts";
export type { ReplicatedConfig, ReplicaRoutingOptions, ReplicaNode } from "./backend/replicas/config.ts";
export { PerRequestBackend, type WaitUntil } from "./backend/per-request.ts";
export { afterCommit, afterRollback } from "./transaction/after.ts";
export type { Session } from "./transaction/session.ts";
export { TransactionHandle, type HandleKind } from "./transaction/handle.ts";
export { onCallbackError, type CallbackErrorHandler, type TransactionCallback, type Outcome } from "./transaction/callbacks.ts";
export { withRetry, isRetryable, backoffDelay, type RetryOptions, type BackoffOptions } from "./transaction/retry.ts";
export { sql, rawQuery, type SqlFragment } from "./query/raw.ts";
export type * from "./query/ast.ts";
export type * from "./schema/column.ts";
export type * from "./backend/backend.ts";
export type * from "./dialect/dialect.ts";
export { SqliteDialect } from "./dialect/sqlite/dialect.ts";
export { PostgresDialect } from "./dialect/postgres/dialect.ts";
export { SqlCompiler, type Emitter, type InCondition, type StatementTemplate } from "./dialect/compiler.ts";
export { createValueMapper, convert, invalidValue, type Conversions } from "./dialect/value-mapper.ts";
export { createTypeMapper, type TypeMapperSpec } from "./dialect/type-mapper.ts";
export { StatementTransaction, beginStatementTransaction, type TransactionConnection, type TransactionOutcome } from "./backend/statement-transaction.ts";
export { Mutex } from "./backend/mutex.ts";
export { checkTransactionOptions } from "./backend/transaction-options.ts";
export * from "./errors.ts";
