import { Command, InvalidArgumentError, Option } from 'commander';
import { csvLine, orderCsvColumns, orderCsvValues, parseOperatorTime } from '@dlsync/admin';
import {
  describeStatus,
  isOrderStatus,
  listWritesForPo,
  makeStatusAuditRepository,
  queryOrders,
  readConsoleSchema,
  streamOrders,
  type OrderFilter,
  type OrderRow,
  type OrderStatus,
  type StatusAuditRow,
  type WriteRecord,
} from '@dlsync/store';
import { CliError } from '../cli-error.js';
import type { CliContext } from '../context.js';
import { formatPairs, formatTable } from '../format/table.js';

const status = (value: string, previous: OrderStatus[] = []): OrderStatus[] => {
  const n = Number(value);
  if (!Number.isInteger(n) || !isOrderStatus(n)) throw new InvalidArgumentError('must be 1-6');
  return previous.includes(n) ? previous : [...previous, n];
};

const limit = (value: string): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1 || n > 1000) throw new InvalidArgumentError('must be 1-1000');
  return n;
};

// NUL and control characters never occur in order fields and Postgres refuses NUL.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const text = (value: string): string => {
  if (value.length > 200) throw new InvalidArgumentError('must be at most 200 characters');
  if (CONTROL.test(value)) throw new InvalidArgumentError('must not contain control characters');
  return value;
};

/** ISO 8601 with an offset, or a wall time read in admin.display_timezone (parsed later, once the config is read). */
const time = (value: string): string => {
  if (value.length > 40) throw new InvalidArgumentError('must be at most 40 characters');
  return value;
};

const epochIso = (seconds: number): string => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
const iso = (value: unknown): string => (value instanceof Date ? value.toISOString() : value === null || value === undefined ? '' : String(value));

interface ListOptions {
  status?: OrderStatus[];
  po?: string;
  retailer?: string;
  sku?: string;
  warehouse?: string;
  shipment?: string;
  tracking?: string;
  invoice?: string;
  dscoStatus?: string;
  createdFrom?: string;
  createdTo?: string;
  hasError?: boolean;
  limit: number;
  after?: string;
  json?: boolean;
  csv?: boolean;
}

function toFilter(o: ListOptions, timeZone: string): OrderFilter {
  const at = (flag: string, value: string | undefined): number | undefined => {
    if (value === undefined) return undefined;
    const ms = parseOperatorTime(value, timeZone);
    if (ms === undefined) throw new CliError(`${flag}: must be ISO 8601 with offset or a wall time like 2026-01-31T14:05 (${timeZone})`, 2);
    return Math.ceil(ms / 1000);
  };
  const f: OrderFilter = {};
  if (o.po) f.poContains = o.po;
  if (o.retailer) f.retailer = o.retailer;
  if (o.sku) f.sku = o.sku;
  if (o.warehouse) f.warehouse = o.warehouse;
  if (o.shipment) f.shipment = o.shipment;
  if (o.tracking) f.tracking = o.tracking;
  if (o.invoice) f.invoiceId = o.invoice;
  if (o.dscoStatus) f.dscoStatus = o.dscoStatus;
  if (o.status) f.statuses = o.status;
  const from = at('--created-from', o.createdFrom);
  const to = at('--created-to', o.createdTo);
  if (from !== undefined) f.createdFrom = from;
  if (to !== undefined) f.createdTo = to;
  if (from !== undefined && to !== undefined && from >= to) throw new CliError('--created-from must be before --created-to', 2);
  if (o.hasError !== undefined) f.hasError = o.hasError;
  return f;
}

function listCommand(ctx: CliContext): Command {
  const textOption = (flags: string, description: string) => new Option(flags, description).argParser(text);
  return new Command('list')
    .description('Lists orders, newest DSCO create time first (keyset pages: pass the printed cursor as --after). Filters combine (AND).')
    .addOption(new Option('--status <n>', 'status, repeatable for several (1 to push, 2 to ack, 3 to ship, 4 to invoice, 5 done, 6 cancelled)').argParser(status))
    .addOption(textOption('--po <text>', 'po_number contains this'))
    .addOption(textOption('--retailer <id>', 'DSCO retailer id'))
    .addOption(textOption('--sku <text>', 'a line SKU contains this'))
    .addOption(textOption('--warehouse <code>', 'DSCO ship warehouse code'))
    .addOption(textOption('--shipment <code>', 'ship service level code'))
    .addOption(textOption('--tracking <text>', 'a tracking number contains this'))
    .addOption(textOption('--invoice <id>', 'DSCO invoice id'))
    .addOption(textOption('--dsco-status <status>', 'DSCO order status'))
    .addOption(new Option('--created-from <time>', 'created at or after (ISO 8601 with offset, or wall time in admin.display_timezone)').argParser(time))
    .addOption(new Option('--created-to <time>', 'created before').argParser(time))
    .addOption(new Option('--has-error', 'only orders with a recorded last error'))
    .addOption(new Option('--no-has-error', 'only orders without one'))
    .addOption(new Option('--limit <n>', 'rows per page').argParser(limit).default(50))
    .addOption(new Option('--after <cursor>', 'the next-page cursor of a previous listing'))
    .addOption(new Option('--json', 'print JSON rows (without payload)').conflicts('csv'))
    .addOption(new Option('--csv', 'print every matching order as CSV (all pages, streamed; ignores --limit and --after)'))
    .action(async (options: ListOptions) => {
      await ctx.withStore(async (store, env) => {
        const filter = toFilter(options, env.admin.display_timezone);
        const schema = await readConsoleSchema(store.db);
        if (options.csv) {
          const columns = orderCsvColumns(schema.orderColumns);
          ctx.output.out(csvLine(columns));
          let n = 0;
          for await (const batch of streamOrders(store.db, filter, { schema })) {
            ctx.output.out(batch.map((row) => csvLine(orderCsvValues(columns, row))).join(''));
            n += batch.length;
          }
          ctx.output.err(`${n} rows`);
          return;
        }
        const page = await queryOrders(store.db, filter, { limit: options.limit, schema, ...(options.after ? { after: options.after } : {}) });
        if (options.json) {
          ctx.output.out(JSON.stringify({ items: page.items, nextCursor: page.nextCursor }, null, 2));
          return;
        }
        ctx.output.out(
          formatTable(
            ['PO', 'STATUS', 'RETAILER', 'CREATED', 'LINGXING', 'TRACKING', 'INVOICE', 'UPDATED', 'ERROR'],
            page.items.map((o) => [
              o.po_number,
              describeStatus(o.status),
              o.dsco_retailer_id as string | null,
              epochIso(o.dsco_create_time),
              o.lingxing_order_nos as string | null,
              o.shipped_tracking_no as string | null,
              o.dsco_invoice_id as string | null,
              iso(o.updated_at),
              (o.last_error as string | null | undefined) ?? null,
            ]),
          ),
        );
        ctx.output.err(page.nextCursor ? `${page.items.length} rows; next page: --after ${page.nextCursor}` : `${page.items.length} rows; last page`);
      });
    });
}

/** Fields shown first, in this order; every other column follows (payload last, separately). */
const FIRST_FIELDS = ['po_number', 'status', 'dsco_order_id', 'dsco_retailer_id', 'dsco_status', 'dsco_create_time'];

function describeOrder(o: OrderRow & Record<string, unknown>): string {
  const keys = [...FIRST_FIELDS, ...Object.keys(o).filter((k) => !FIRST_FIELDS.includes(k) && k !== 'payload')];
  return formatPairs(
    keys.map((k): [string, string] => {
      if (k === 'status') return [k, describeStatus(o.status)];
      if (k === 'dsco_create_time') return [k, `${o.dsco_create_time} (${epochIso(o.dsco_create_time)})`];
      return [k, iso(o[k])];
    }),
  );
}

function describeHistory(writes: WriteRecord[], audit: StatusAuditRow[]): string {
  const auditText = audit.length
    ? formatTable(['AT', 'ACTOR', 'FROM', 'TO', 'REASON'], audit.map((a) => [iso(a.at), a.actor, describeStatus(a.from_status), describeStatus(a.to_status), a.reason]))
    : '(none)';
  const writesText = writes.length
    ? formatTable(
        ['SENT', 'KIND', 'STATE', 'REQUEST', 'SETTLED', 'ERROR'],
        writes.map((w) => [iso(w.sent_at), iso(w.kind), iso(w.state), iso(w.request_id), iso(w.settled_at), iso(w.error)]),
      )
    : '(none)';
  return `status changes\n${auditText}\n\nDSCO writes\n${writesText}`;
}

function showCommand(ctx: CliContext): Command {
  return new Command('show')
    .description('Shows one order: every column, its history (manual status changes, DSCO writes), then the raw DSCO payload.')
    .argument('<po>', 'purchase order number')
    .addOption(new Option('--json', 'print the row with writes and audit as JSON'))
    .action(async (po: string, options: { json?: boolean }) => {
      await ctx.withStore(async (store) => {
        const order = (await store.orders.getByPo(po)) as (OrderRow & Record<string, unknown>) | undefined;
        if (!order) {
          // PO numbers are matched exactly; say so when only the case was off.
          const upper = po.toUpperCase();
          const near = upper !== po ? await store.orders.getByPo(upper) : undefined;
          throw new CliError(`no order ${po}${near ? ` (${upper} exists; PO numbers are matched exactly)` : ''}`);
        }
        const schema = await readConsoleSchema(store.db);
        const [writes, audit] = await Promise.all([
          listWritesForPo(store.db, po, { schema }),
          schema.hasAuditTable ? makeStatusAuditRepository(store.db).listForPo(po) : Promise.resolve([]),
        ]);
        ctx.output.out(
          options.json
            ? JSON.stringify({ ...order, writes, audit }, null, 2)
            : `${describeOrder(order)}\n\n${describeHistory(writes, audit)}\n\npayload\n${JSON.stringify(order.payload, null, 2)}`,
        );
      });
    });
}

export function makeOrdersCommand(ctx: CliContext): Command {
  return new Command('orders').description('Looks at the order sync table.').addCommand(listCommand(ctx)).addCommand(showCommand(ctx));
}
