import { Command, Option } from 'commander';
import { MANUAL_ONLY_TASKS, TASK_NAMES } from '@dlsync/config';
import type { CliContext } from '../context.js';
import { formatTable } from '../format/table.js';

function inWords(ms: number): string {
  if (ms < 0) return 'due';
  const s = Math.round(ms / 1000);
  if (s < 60) return `in ${s}s`;
  if (s < 3600) return `in ${Math.floor(s / 60)}m${s % 60 ? ` ${s % 60}s` : ''}`;
  return `in ${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

export function makeSchedulersCommand(ctx: CliContext): Command {
  return new Command('schedulers')
    .description('Lists the job schedulers in Redis with their cron pattern and next run time.')
    .addOption(new Option('--json', 'print JSON'))
    .action(async (options: { json?: boolean }) => {
      const { listSchedulers } = await import('@dlsync/queue');
      await ctx.withQueues(async (queues) => {
        const schedulers = await listSchedulers(queues);
        if (options.json) {
          ctx.output.out(JSON.stringify(schedulers, null, 2));
          return;
        }
        const byTask = new Map(schedulers.map((s) => [s.task, s]));
        const now = Date.now();
        ctx.output.out(
          formatTable(
            ['TASK', 'CRON', 'NEXT RUN', ''],
            TASK_NAMES.filter((t) => !MANUAL_ONLY_TASKS.includes(t)).map((task) => {
              const s = byTask.get(task);
              if (!s) return [task, '(not scheduled)', '', ''];
              return [task, s.pattern ?? '', s.next?.toISOString() ?? '', s.next ? inWords(s.next.getTime() - now) : ''];
            }),
          ),
        );
      });
    });
}
