import { Command, InvalidArgumentError, Option } from 'commander';
import { describeStatus, isOrderStatus, type OrderRow, type OrderStatus } from '@dlsync/store';
import { CliError } from '../cli-error.js';
import type { CliContext } from '../context.js';
import { formatPairs, formatTable } from '../format/table.js';

const status = (value: string): OrderStatus => {
  const n = Number(value);
  if (!Number.isInteger(n) || !isOrderStatus(n)) throw new InvalidArgumentError('must be 1-6');
  return n as OrderStatus;
};

const limit = (value: string): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1 || n > 1000) throw new InvalidArgumentError('must be 1-1000');
  return n;
};

const epochIso = (seconds: number): string => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
const statusLabel = (s: OrderStatus): string => describeStatus(s);

function listCommand(ctx: CliContext): Command {
  return new Command('list')
    .description('Lists orders, newest DSCO create time first (keyset pages: pass the printed cursor as --after).')
    .addOption(new Option('--status <n>', 'only this status (1 to push, 2 to ack, 3 to ship, 4 to invoice, 5 done, 6 cancelled)').argParser(status))
    .addOption(new Option('--po <prefix>', 'po_number starts with this'))
    .addOption(new Option('--limit <n>', 'rows per page').argParser(limit).default(50))
    .addOption(new Option('--after <cursor>', 'the next-page cursor of a previous listing'))
    .addOption(new Option('--json', 'print JSON rows (without payload)'))
    .action(async (options: { status?: OrderStatus; po?: string; limit: number; after?: string; json?: boolean }) => {
      await ctx.withStore(async (store) => {
        const page = await store.orders.search({
          limit: options.limit,
          ...(options.status !== undefined ? { status: options.status } : {}),
          ...(options.po ? { poPrefix: options.po } : {}),
          ...(options.after ? { after: options.after } : {}),
        });
        if (options.json) {
          ctx.output.out(JSON.stringify({ items: page.items.map(({ payload: _p, ...row }) => row), nextCursor: page.nextCursor }, null, 2));
          return;
        }
        ctx.output.out(
          formatTable(
            ['PO', 'STATUS', 'RETAILER', 'CREATED', 'LINGXING', 'TRACKING', 'INVOICE', 'UPDATED'],
            page.items.map((o) => [
              o.po_number,
              statusLabel(o.status),
              o.dsco_retailer_id,
              epochIso(o.dsco_create_time),
              o.lingxing_order_nos,
              o.shipped_tracking_no,
              o.dsco_invoice_id,
              o.updated_at.toISOString(),
            ]),
          ),
        );
        ctx.output.err(page.nextCursor ? `${page.items.length} rows; next page: --after ${page.nextCursor}` : `${page.items.length} rows; last page`);
      });
    });
}

function describeOrder(o: OrderRow): string {
  return formatPairs([
    ['po_number', o.po_number],
    ['status', statusLabel(o.status)],
    ['dsco_order_id', o.dsco_order_id],
    ['dsco_retailer_id', o.dsco_retailer_id],
    ['dsco_status', o.dsco_status],
    ['dsco_create_time', `${o.dsco_create_time} (${epochIso(o.dsco_create_time)})`],
    ['mskus', o.mskus],
    ['warehouse_id', o.warehouse_id],
    ['shipment', o.shipment],
    ['lingxing_order_nos', o.lingxing_order_nos],
    ['shipped_tracking_no', o.shipped_tracking_no],
    ['dsco_invoice_id', o.dsco_invoice_id],
    ['created_at', o.created_at.toISOString()],
    ['updated_at', o.updated_at.toISOString()],
  ]);
}

function showCommand(ctx: CliContext): Command {
  return new Command('show')
    .description('Shows one order: its sync columns, then the raw DSCO payload.')
    .argument('<po>', 'purchase order number')
    .addOption(new Option('--json', 'print the whole row as JSON'))
    .action(async (po: string, options: { json?: boolean }) => {
      await ctx.withStore(async (store) => {
        const order = await store.orders.getByPo(po);
        if (!order) throw new CliError(`no order ${po}`);
        ctx.output.out(options.json ? JSON.stringify(order, null, 2) : `${describeOrder(order)}\n\npayload\n${JSON.stringify(order.payload, null, 2)}`);
      });
    });
}

export function makeOrdersCommand(ctx: CliContext): Command {
  return new Command('orders').description('Looks at the order sync table.').addCommand(listCommand(ctx)).addCommand(showCommand(ctx));
}
