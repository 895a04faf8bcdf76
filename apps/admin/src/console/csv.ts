import { Readable } from 'node:stream';

/**
 * One CSV field (RFC 4180: quoted when it holds a comma, quote or line break). A field a
 * spreadsheet would run as a formula (= + - @ tab CR first) gets a leading apostrophe, because
 * order data comes from outside and exports are opened in spreadsheets.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (values: readonly unknown[]): string => `${values.map(csvField).join(',')}\r\n`;

/**
 * A CSV body streamed from `batches`: the header first, then one chunk per batch, so memory
 * holds one batch however many rows there are.
 */
export function csvStream<T>(header: readonly string[], batches: AsyncIterable<readonly T[]>, row: (item: T) => readonly unknown[]): Readable {
  async function* lines(): AsyncGenerator<string> {
    yield csvLine(header);
    for await (const batch of batches) yield batch.map((item) => csvLine(row(item))).join('');
  }
  return Readable.from(lines(), { objectMode: false });
}

/** The CSV columns of an order export: every column of the table but the raw payload. */
export const orderCsvColumns = (orderColumns: readonly string[]): string[] => orderColumns.filter((c) => c !== 'payload');

/** One order as CSV values; dsco_create_time (epoch seconds) as an ISO UTC instant like every other time. */
export function orderCsvValues(columns: readonly string[], row: Record<string, unknown>): unknown[] {
  return columns.map((c) => (c === 'dsco_create_time' && typeof row[c] === 'number' ? new Date(row[c] * 1000) : row[c]));
}
