/**
 * The models the conformance suite runs on. They are made per suite run, with
 * a table prefix of their own, so several runs (backends, decorator modes,
 * parallel workers) can share one database without clashing.
 */
import { ActiveRecord } from "../model/active-record.ts";
import { column, table } from "../model/decorators.ts";
import { belongsTo, hasMany, manyToMany } from "../model/relations/decorators.ts";
import type { ModelClass } from "../model/types.ts";

// The record types are spelled out as named interfaces: a return type inferred
// from the class expressions below would be inlined into the published .d.ts,
// where their `this`-typed members are invalid (TS2526 under skipLibCheck: false).

/** One nullable column of every column type. */
export interface SampleRecord extends ActiveRecord {
  /** The `id` attribute. */
  id: number;
  /** The `integer` attribute. */
  integer: number | null;
  /** The `bigint` attribute. */
  bigint: bigint | null;
  /** The `real` attribute. */
  real: number | null;
  /** The `decimal` attribute. */
  decimal: string | null;
  /** The `text` attribute. */
  text: string | null;
  /** The `varchar` attribute. */
  varchar: string | null;
  /** The `boolean` attribute. */
  boolean: boolean | null;
  /** The `date` attribute. */
  date: Date | null;
  /** The `datetime` attribute. */
  datetime: Date | null;
  /** The `json` attribute. */
  json: unknown;
  /** The `uuid` attribute. */
  uuid: string | null;
  /** The `blob` attribute. */
  blob: Uint8Array | null;
}

/** `OwnerRecord`: see the module comment above. */
export interface OwnerRecord extends ActiveRecord {
  /** The `id` attribute. */
  id: number;
  /** The `email` attribute. */
  email: string;
  /** The `name` attribute. */
  name: string;
  /** The `age` attribute. */
  age: number | null;
  /** The `active` attribute. */
  active: boolean;
  /** The `pets` attribute. */
  pets: PetRecord[];
}

/** `PetRecord`: see the module comment above. */
export interface PetRecord extends ActiveRecord {
  /** The `id` attribute. */
  id: number;
  /** The `ownerId` attribute. */
  ownerId: number;
  /** The `name` attribute. */
  name: string;
  /** The `owner` attribute. */
  owner: OwnerRecord;
  /** The `toys` attribute. */
  toys: ToyRecord[];
}

/** `ToyRecord`: see the module comment above. */
export interface ToyRecord extends ActiveRecord {
  /** The `id` attribute. */
  id: number;
  /** The `name` attribute. */
  name: string;
}

/** Timestamps, soft delete and optimistic locking. */
export interface NoteRecord extends ActiveRecord {
  /** The `id` attribute. */
  id: number;
  /** The `body` attribute. */
  body: string;
  /** The `createdAt` attribute. */
  createdAt: Date;
  /** The `updatedAt` attribute. */
  updatedAt: Date;
  /** The `deletedAt` attribute. */
  deletedAt: Date | null;
  /** The `version` attribute. */
  version: number;
}

/** `LedgerRecord`: see the module comment above. */
export interface LedgerRecord extends ActiveRecord {
  /** The `id` attribute. */
  id: bigint;
  /** The `account` attribute. */
  account: string;
  /** The `day` attribute. */
  day: Date;
  /** The `amount` attribute. */
  amount: string;
  /** The `createdAt` attribute. */
  createdAt: Date;
}

/** The models the conformance suite runs on, each with its prefixed table. */
export interface ConformanceModels {
  /** One column of every type. */
  Sample: ModelClass<SampleRecord>;
  /** An owner with pets (hasMany). */
  Owner: ModelClass<OwnerRecord>;
  /** A pet belonging to an owner (belongsTo), with toys (hasMany). */
  Pet: ModelClass<PetRecord>;
  /** A toy of a pet (hasMany from Pet). */
  Toy: ModelClass<ToyRecord>;
  /** A note with timestamps, soft delete and a version column. */
  Note: ModelClass<NoteRecord>;
  /** A ledger entry: bigint key, a date and an exact decimal amount. */
  Ledger: ModelClass<LedgerRecord>;
}

/** Defines the conformance models with tables named `<prefix>...`. */
export function defineConformanceModels(prefix: string): ConformanceModels {
  /** One nullable column of every column type. */
  @table(`${prefix}_samples`)
  class Sample extends ActiveRecord {
    @column.id() id!: number;
    @column.integer({ nullable: true }) integer!: number | null;
    @column.bigint({ nullable: true }) bigint!: bigint | null;
    @column.real({ nullable: true }) real!: number | null;
    @column.decimal({ nullable: true }) decimal!: string | null;
    @column.text({ nullable: true }) text!: string | null;
    @column.varchar(40, { nullable: true }) varchar!: string | null;
    @column.boolean({ nullable: true }) boolean!: boolean | null;
    @column.date({ nullable: true }) date!: Date | null;
    @column.datetime({ nullable: true }) datetime!: Date | null;
    @column.json({ nullable: true }) json!: unknown;
    @column.uuid({ nullable: true }) uuid!: string | null;
    @column.blob({ nullable: true }) blob!: Uint8Array | null;
  }

  @table(`${prefix}_owners`)
  class Owner extends ActiveRecord {
    @column.id() id!: number;
    @column.text({ unique: true }) email!: string;
    @column.text() name!: string;
    @column.integer({ nullable: true }) age!: number | null;
    @column.boolean({ default: true }) active!: boolean;
    @hasMany(() => Pet) pets!: Pet[];
  }

  @table(`${prefix}_pets`)
  class Pet extends ActiveRecord {
    @column.id() id!: number;
    @column.integer({ references: { table: `${prefix}_owners` }, index: true }) ownerId!: number;
    @column.text() name!: string;
    @belongsTo(() => Owner) owner!: Owner;
    @manyToMany(() => Toy, { through: `${prefix}_pet_toys` }) toys!: Toy[];
  }

  @table(`${prefix}_toys`)
  class Toy extends ActiveRecord {
    @column.id() id!: number;
    @column.text({ unique: true }) name!: string;
  }

  /** Timestamps, soft delete and optimistic locking. */
  @table(`${prefix}_notes`)
  class Note extends ActiveRecord {
    @column.id() id!: number;
    @column.text() body!: string;
    @column.createdAt() createdAt!: Date;
    @column.updatedAt() updatedAt!: Date;
    @column.deletedAt() deletedAt!: Date | null;
    @column.version() version!: number;
  }

  /** A model whose table the DDL cases create and drop themselves. */
  @table(`${prefix}_ledger`, { indexes: [{ columns: ["account", "day"], unique: true }] })
  class Ledger extends ActiveRecord {
    @column.bigint({ primaryKey: true, autoIncrement: true }) id!: bigint;
    @column.varchar(30, { index: true }) account!: string;
    @column.date() day!: Date;
    @column.decimal({ precision: 12, scale: 2, default: "0.00" }) amount!: string;
    @column.datetime({ default: "now" }) createdAt!: Date;
  }

  return { Sample, Owner, Pet, Toy, Note, Ledger };
}
