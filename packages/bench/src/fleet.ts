import type { ChildProcess } from 'node:child_process';
import { spawnTs } from './child.js';
import { collectUsage, type MeasuredUsage } from './process-usage.js';

/** One dlsync process the bench started, with the usage it reports when it exits. */
export interface FleetProcess {
  role: 'worker' | 'scheduler';
  child: ChildProcess;
  usage: Promise<MeasuredUsage | undefined>;
}

const ENTRIES = { worker: 'apps/worker/src/main.ts', scheduler: 'apps/scheduler/src/main.ts' } as const;

/** Starts `workers` worker processes and one scheduler, each unchanged inside the usage reporter, with `nodeArgs`. */
export function startFleet(workers: number, env: Record<string, string>, nodeArgs: readonly string[] = []): FleetProcess[] {
  const roles: FleetProcess['role'][] = [...Array.from({ length: workers }, () => 'worker' as const), 'scheduler'];
  return roles.map((role) => {
    const child = spawnTs('packages/bench/src/usage-child.ts', { ...env, BENCH_ENTRY: ENTRIES[role] }, [], [...nodeArgs]);
    return { role, child, usage: collectUsage(child) };
  });
}

/** Marks the start of the measurement in every process (their start-up's CPU is left out). */
export function markFleet(fleet: readonly FleetProcess[]): void {
  for (const p of fleet) if (p.child.exitCode === null) p.child.kill('SIGUSR2');
}

/** SIGTERM, then SIGKILL after 15 s; resolves with each process's usage (undefined when killed). */
export async function stopFleet(fleet: readonly FleetProcess[]): Promise<Array<{ role: FleetProcess['role']; usage?: MeasuredUsage }>> {
  return Promise.all(
    fleet.map(async (p) => {
      if (p.child.exitCode === null && p.child.signalCode === null) {
        const timer = setTimeout(() => p.child.kill('SIGKILL'), 15_000);
        p.child.kill('SIGTERM');
        await new Promise((resolve) => p.child.once('exit', resolve));
        clearTimeout(timer);
      }
      const usage = await p.usage;
      return usage ? { role: p.role, usage } : { role: p.role };
    }),
  );
}
