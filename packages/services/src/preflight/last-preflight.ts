import type { Redis } from 'ioredis';
import type { PreflightReport } from './check.js';

/** Where the newest preflight report is kept, so the admin overview can show it without the integration secrets. */
export const lastPreflightKey = (prefix: string): string => `${prefix}:preflight:last`;

/** Keeps `report` as the newest one (every process of the fleet reads the same key). */
export async function saveLastPreflight(redis: Redis, prefix: string, report: PreflightReport): Promise<void> {
  await redis.set(lastPreflightKey(prefix), JSON.stringify(report));
}

/** The newest preflight report, or undefined when none ran yet (or what is stored is not one). */
export async function readLastPreflight(redis: Redis, prefix: string): Promise<PreflightReport | undefined> {
  const raw = await redis.get(lastPreflightKey(prefix));
  if (raw === null) return undefined;
  try {
    const report = JSON.parse(raw) as PreflightReport;
    return Array.isArray(report.checks) && typeof report.checkedAt === 'string' ? report : undefined;
  } catch {
    return undefined;
  }
}
