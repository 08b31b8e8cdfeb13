/**
 * Undoing a reversible `change`, as Rails does: each operation that knows its
 * inverse gives it, in reverse order. Operations that lose information (a
 * dropped column, an altered type, raw SQL) cannot be undone this way: the
 * migration must then write `down` itself, and says so with an error.
 */
import { MigrationError } from "./errors.ts";
import type { Operation } from "./operations.ts";

export function reverseOperations(operations: readonly Operation[], migration: string): Operation[] {
  return operations.map((operation) => inverse(operation, migration)).reverse().flat();
}

function inverse(operation: Operation, migration: string): Operation[] {
  switch (operation.op) {
    case "createTable":
      return [{ op: "dropTable", table: operation.table.name }];
    case "renameTable":
      return [{ op: "renameTable", from: operation.to, to: operation.from }];
    case "addColumn":
      return [{ op: "dropColumn", table: operation.table, column: operation.column.name }];
    case "renameColumn":
      return [{ op: "renameColumn", table: operation.table, from: operation.to, to: operation.from }];
    case "createIndex":
      return [{ op: "dropIndex", table: operation.index.table, name: operation.index.name }];
    case "addForeignKey":
      return [{ op: "dropForeignKey", table: operation.table, name: operation.foreignKey.name }];
    case "addCheck":
      return [{ op: "dropCheck", table: operation.table, name: operation.check.name }];
    default:
      throw new MigrationError(`migration ${migration}: ${operation.op} in change() cannot be reversed; write up() and down() instead`, { migration });
  }
}
