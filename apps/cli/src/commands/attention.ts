import { Command, InvalidArgumentError, Option } from 'commander';
import { ATTENTION_KINDS, countAttention, describeStatus, listAttention, readConsoleSchema, type AttentionKind } from '@dlsync/store';
import type { CliContext } from '../context.js';
import { formatTable } from '../format/table.js';

const hours = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 24 * 30) throw new InvalidArgumentError('must be 0-720');
  return n;
};

const kind = (value: string, previous: AttentionKind[] = []): AttentionKind[] => {
  if (!(ATTENTION_KINDS as readonly string[]).includes(value)) throw new InvalidArgumentError(`must be one of ${ATTENTION_KINDS.join(', ')}`);
  return [...previous, value as AttentionKind];
};

/** `dlsync attention`: what the console's /attention page lists, read straight from Postgres. */
export function makeAttentionCommand(ctx: CliContext): Command {
  return new Command('attention')
    .description(
      'Lists orders needing an operator: a last error, a DSCO deadline for the next step past or within admin.attention_hours, a failing or long-pending DSCO write, cancelled after shipping, changed after push.',
    )
    .addOption(new Option('--hours <n>', 'deadline horizon (default: admin.attention_hours)').argParser(hours))
    .addOption(new Option('--kind <kind>', `only this kind, repeatable (${ATTENTION_KINDS.join(', ')})`).argParser(kind))
    .addOption(new Option('--json', 'print {counts, items} as JSON'))
    .action(async (options: { hours?: number; kind?: AttentionKind[]; json?: boolean }) => {
      await ctx.withStore(async (store, env) => {
        const schema = await readConsoleSchema(store.db);
        const query = { now: new Date(), withinHours: options.hours ?? env.admin.attention_hours, schema, ...(options.kind ? { kinds: options.kind } : {}) };
        const [items, counts] = await Promise.all([listAttention(store.db, query), countAttention(store.db, query)]);
        if (options.json) {
          ctx.output.out(JSON.stringify({ withinHours: query.withinHours, counts, items }, null, 2));
          return;
        }
        ctx.output.out(
          formatTable(
            ['KIND', 'PO', 'STATUS', 'DETAIL', 'AT'],
            items.map((i) => [i.kind, i.po_number, describeStatus(i.status), i.detail, i.at ? new Date(i.at).toISOString() : '']),
          ),
        );
        const shown = options.kind ?? ATTENTION_KINDS;
        ctx.output.err(shown.map((k) => `${k} ${counts[k]}`).join(' · '));
      });
    });
}
