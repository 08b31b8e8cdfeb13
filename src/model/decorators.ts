/**
 * `@table` and `@column`, written once for both decorator modes:
 *
 * - TC39 standard decorators call `(value, context)`; field decorators write
 *   into `context.metadata`, and `@table` copies that into reflect-metadata.
 * - Legacy `experimentalDecorators` call `(prototype, key)` / `(constructor)`;
 *   they write into reflect-metadata on the constructor directly.
 *
 * Decorators only record; `metadata.ts` turns the records into a model's
 * metadata on first use. `design:type` is never read (esbuild does not emit it).
 */
import "reflect-metadata";
import type { ColumnType } from "../schema/column.ts";
import { ConfigurationError } from "../errors.ts";
import type { ColumnOptions, TableOptions } from "./options.ts";

export const COLUMNS_KEY = Symbol.for("edgerecord:columns");
export const TABLE_KEY = Symbol.for("edgerecord:table");
export const HOOKS_KEY = Symbol.for("edgerecord:hooks");
export const RELATIONS_KEY = Symbol.for("edgerecord:relations");

export interface ColumnRecord {
  readonly property: string;
  readonly options: ColumnOptions;
}

export interface TableRecord {
  readonly name?: string;
  readonly options: TableOptions;
}

/** A field decorator usable in either mode. */
export interface FieldDecorator {
  (value: undefined, context: ClassFieldDecoratorContext): void;
  (prototype: object, property: string | symbol): void;
}

/** A class decorator usable in either mode. */
export interface ClassDecorator {
  <C extends abstract new (...args: any[]) => unknown>(value: C, context: ClassDecoratorContext<C>): void;
  <C extends abstract new (...args: any[]) => unknown>(constructor: C): void;
}

type Metadata = Record<PropertyKey, unknown>;

function isStandardContext(arg: unknown): arg is { kind: string; name: string | symbol; metadata?: Metadata; static?: boolean; private?: boolean } {
  return typeof arg === "object" && arg !== null && "kind" in arg;
}

/** Records to a list owned by this class (not one inherited from a parent class). */
function ownList<T>(get: () => T[] | undefined, set: (list: T[]) => void): T[] {
  const existing = get();
  if (existing) return existing;
  const list: T[] = [];
  set(list);
  return list;
}

/** Records a field decorator's data, whatever the mode. */
export function fieldRecorder<T>(key: symbol, decoratorName: string, make: (property: string) => T): FieldDecorator {
  return memberRecorder("field", key, decoratorName, make) as FieldDecorator;
}

/** A method decorator usable in either mode. */
export interface MethodDecorator {
  (value: (...args: never[]) => unknown, context: ClassMethodDecoratorContext): void;
  (prototype: object, property: string | symbol, descriptor: PropertyDescriptor): void;
}

/** Records a method decorator's data, whatever the mode. */
export function methodRecorder<T>(key: symbol, decoratorName: string, make: (property: string) => T): MethodDecorator {
  return memberRecorder("method", key, decoratorName, make) as MethodDecorator;
}

function memberRecorder<T>(kind: "field" | "method", key: symbol, decoratorName: string, make: (property: string) => T) {
  const member = kind === "field" ? "a public instance field" : "a public instance method";
  return (target: object | undefined, context: unknown, descriptor?: unknown) => {
    if (isStandardContext(context)) {
      if (context.kind !== kind || context.static || context.private || typeof context.name !== "string") {
        throw new ConfigurationError(`${decoratorName} goes on ${member}, not on ${describeContext(context)}`);
      }
      const metadata = context.metadata;
      if (!metadata) {
        throw new ConfigurationError(`${decoratorName}: this runtime gives decorators no metadata; import "edgerecord" before defining models`);
      }
      const list = ownList<T>(
        () => (Object.hasOwn(metadata, key) ? (metadata[key] as T[]) : undefined),
        (l) => (metadata[key] = l),
      );
      list.push(make(context.name));
      return;
    }
    if (typeof context !== "string") {
      throw new ConfigurationError(`${decoratorName} goes on a named instance field (got a ${typeof context} key)`);
    }
    // Legacy decorators give methods and accessors a descriptor, and static members the class itself.
    const isMethod = typeof (descriptor as PropertyDescriptor | undefined)?.value === "function";
    if ((kind === "field") !== (descriptor === undefined) || (kind === "method" && !isMethod) || typeof target === "function") {
      const what = typeof target === "function" ? "a static member" : descriptor === undefined ? "a field" : isMethod ? "a method" : "an accessor";
      throw new ConfigurationError(`${decoratorName} goes on ${member}, not on ${what} (${context})`);
    }
    const constructor = (target as { constructor: object }).constructor;
    const list = ownList<T>(
      () => Reflect.getOwnMetadata(key, constructor) as T[] | undefined,
      (l) => Reflect.defineMetadata(key, l, constructor),
    );
    list.push(make(context));
  };
}

function describeContext(context: { kind: string; static?: boolean; private?: boolean; name: string | symbol }): string {
  const where = context.static ? "static " : context.private ? "private " : "";
  return `a ${where}${context.kind} (${String(context.name)})`;
}

/** Keys written by field decorators that the class decorator copies into reflect-metadata. */
export const FIELD_KEYS = new Set<symbol>([COLUMNS_KEY, HOOKS_KEY, RELATIONS_KEY]);

/**
 * Copies what standard field decorators left in `context.metadata` into
 * reflect-metadata on the class. Also run lazily for classes without `@table`.
 */
export function adoptStandardMetadata(constructor: object, metadata: Metadata | undefined | null): void {
  if (!metadata) return;
  for (const key of FIELD_KEYS) {
    if (Object.hasOwn(metadata, key) && !Reflect.hasOwnMetadata(key, constructor)) {
      Reflect.defineMetadata(key, metadata[key], constructor);
    }
  }
}

/** `@table("users")`: names the model's table (default: the naming strategy's name for the class). */
export function table(name?: string, options: TableOptions = {}): ClassDecorator {
  return ((constructor: object, context?: unknown) => {
    if (isStandardContext(context)) {
      if (context.kind !== "class") throw new ConfigurationError(`@table goes on a class, not on ${describeContext(context)}`);
      adoptStandardMetadata(constructor, context.metadata);
    }
    Reflect.defineMetadata(TABLE_KEY, { name, options } satisfies TableRecord, constructor);
  }) as ClassDecorator;
}

type TypedColumnOptions = Omit<ColumnOptions, "type">;

function typed(type: ColumnType): (options?: TypedColumnOptions) => FieldDecorator {
  return (options: TypedColumnOptions = {}): FieldDecorator => column({ ...options, type });
}

/** `@column({ type: "text", ... })`, or a shorthand: `@column.text()`, `@column.integer({ primaryKey: true })`. */
export function column(options: ColumnOptions): FieldDecorator {
  return fieldRecorder<ColumnRecord>(COLUMNS_KEY, "@column", (property) => ({ property, options }));
}

/** `@column.integer()`: a `number` in an INTEGER column. */
column.integer = typed("integer") as (options?: TypedColumnOptions) => FieldDecorator;
/** `@column.bigint()`: a `bigint`, exact to 64 bits. */
column.bigint = typed("bigint") as (options?: TypedColumnOptions) => FieldDecorator;
/** `@column.real()`: a floating-point `number`. */
column.real = typed("real") as (options?: TypedColumnOptions) => FieldDecorator;
/** `@column.decimal({ precision, scale })`: an exact decimal as a `string`. */
column.decimal = typed("decimal") as (options?: TypedColumnOptions) => FieldDecorator;
/** `@column.text()`: a `string`. */
column.text = typed("text") as (options?: TypedColumnOptions) => FieldDecorator;
/** `@column.varchar(length)`: a `string` of at most `length` characters. */
column.varchar = (length?: number, options: TypedColumnOptions = {}): FieldDecorator =>
  column({ ...options, type: "varchar", ...(length !== undefined ? { length } : {}) });
/** `@column.boolean()`: a `boolean`. */
column.boolean = typed("boolean") as (options?: TypedColumnOptions) => FieldDecorator;
/** `@column.date()`: a calendar day as a `Date` at UTC midnight. */
column.date = typed("date") as (options?: TypedColumnOptions) => FieldDecorator;
/** `@column.datetime()`: an instant as a `Date`. */
column.datetime = typed("datetime") as (options?: TypedColumnOptions) => FieldDecorator;
/** `@column.json()`: any JSON value. */
column.json = typed("json") as (options?: TypedColumnOptions) => FieldDecorator;
/** `@column.uuid()`: a UUID `string`. */
column.uuid = typed("uuid") as (options?: TypedColumnOptions) => FieldDecorator;
/** `@column.blob()`: bytes as a `Uint8Array`. */
column.blob = typed("blob") as (options?: TypedColumnOptions) => FieldDecorator;
/**
 * A text column that only takes the given values: `@column.enumOf(["draft", "published"]) status!: "draft" | "published"`.
 * (Not `column.enum`: esbuild rejects a reserved word in a standard decorator's member chain.)
 */
column.enumOf = <const V extends readonly string[]>(values: V, options: TypedColumnOptions = {}): FieldDecorator =>
  column({ ...options, type: "text", enum: values });
/** The creation time, set on insert. */
column.createdAt = (options: TypedColumnOptions = {}): FieldDecorator => column({ autoCreate: true, ...options, type: "datetime" });
/** The last modification time, set on insert and on every update that changes something. */
column.updatedAt = (options: TypedColumnOptions = {}): FieldDecorator =>
  column({ autoCreate: true, autoUpdate: true, ...options, type: "datetime" });
/** Soft delete: `delete()` sets this time instead of removing the row; default queries skip such rows. */
column.deletedAt = (options: TypedColumnOptions = {}): FieldDecorator =>
  column({ nullable: true, ...options, softDelete: true, type: "datetime" });
/** Optimistic locking: every update requires the version it read and increments it. */
column.version = (options: TypedColumnOptions = {}): FieldDecorator => column({ default: 0, ...options, version: true, type: "integer" });
/** An auto-incrementing integer primary key named `id` by convention. */
column.id = (options: TypedColumnOptions = {}): FieldDecorator =>
  column({ primaryKey: true, autoIncrement: true, ...options, type: "integer" });
