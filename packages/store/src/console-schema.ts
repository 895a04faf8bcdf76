import { sql, type Kysely } from 'kysely';
import type { Database } from './database.js';

/**
 * What the connected database holds of the tables the operations console reads. The console is
 * built ahead of some migrations (write records, order error columns); it asks the catalog and
 * reads only what exists, so an older database shows less instead of failing.
 */
export interface ConsoleSchema {
  /** Columns of dsco_order_sync, in table order. */
  orderColumns: readonly string[];
  hasOrderColumn(name: string): boolean;
  /** Whether dsco_write exists, and how it stores its PO list (`_text` array or `jsonb`). */
  writes: { poNumbersType: 'text[]' | 'jsonb' } | null;
  hasAuditTable: boolean;
}

interface ColumnRow {
  table_name: string;
  column_name: string;
  udt_name: string;
}

export async function readConsoleSchema(db: Kysely<Database>): Promise<ConsoleSchema> {
  const { rows } = await sql<ColumnRow>`
    SELECT table_name, column_name, udt_name FROM information_schema.columns
    WHERE table_schema = current_schema()
      AND table_name IN ('dsco_order_sync', 'dsco_write', 'order_status_audit')
    ORDER BY table_name, ordinal_position`.execute(db);
  const orderColumns = rows.filter((r) => r.table_name === 'dsco_order_sync').map((r) => r.column_name);
  const poNumbers = rows.find((r) => r.table_name === 'dsco_write' && r.column_name === 'po_numbers');
  const columns = new Set(orderColumns);
  return {
    orderColumns,
    hasOrderColumn: (name) => columns.has(name),
    writes: poNumbers ? { poNumbersType: poNumbers.udt_name === 'jsonb' ? 'jsonb' : 'text[]' } : null,
    hasAuditTable: rows.some((r) => r.table_name === 'order_status_audit'),
  };
}
