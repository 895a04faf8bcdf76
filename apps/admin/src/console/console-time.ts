import type { EnvConfig } from '@dlsync/config';

/** The console's settings, with the defaults used while a key is absent from the env config. */
export interface ConsoleSettings {
  /** IANA zone times are shown and entered in; storage stays UTC. (Default: UTC) */
  timeZone: string;
  /** A DSCO deadline this many hours away (or past) puts an order on the attention list. (Default: 24) */
  attentionHours: number;
}

export function readConsoleSettings(env: EnvConfig): ConsoleSettings {
  return { timeZone: env.admin.display_timezone, attentionHours: env.admin.attention_hours };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsIn(ms: number, timeZone: string): Record<string, number> {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  const out: Record<string, number> = {};
  for (const p of f.formatToParts(new Date(ms))) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return out;
}

/** Milliseconds `timeZone` is ahead of UTC at instant `ms`. */
function offsetAt(ms: number, timeZone: string): number {
  const p = partsIn(ms, timeZone);
  const asUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `2026-01-31 14:05:09` in `timeZone` (what every console page shows). */
export function formatInstant(value: Date | string | number | null | undefined, timeZone: string): string {
  if (value === null || value === undefined) return '';
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) return '';
  const p = partsIn(ms, timeZone);
  return `${p.year}-${pad(p.month!)}-${pad(p.day!)} ${pad(p.hour!)}:${pad(p.minute!)}:${pad(p.second!)}`;
}

/** `2026-01-31T14:05` in `timeZone`, the value a `datetime-local` input takes. */
export function toWallTimeInput(ms: number, timeZone: string): string {
  return formatInstant(ms, timeZone).slice(0, 16).replace(' ', 'T');
}

const WALL_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;
const WITH_OFFSET = /(?:Z|[+-]\d{2}:?\d{2})$/i;

/**
 * An operator's time: ISO 8601 with an offset is taken as is; a wall time without one
 * (`2026-01-31T14:05`, what a datetime-local input sends) is read in `timeZone`. Returns UTC
 * epoch ms, or undefined when the text is neither or names no real time.
 */
export function parseOperatorTime(text: string, timeZone: string): number | undefined {
  const t = text.trim();
  if (WITH_OFFSET.test(t)) {
    const ms = Date.parse(t);
    return Number.isFinite(ms) && /^\d{4}-\d{2}-\d{2}T/.test(t) ? ms : undefined;
  }
  const m = WALL_TIME.exec(t);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const back = new Date(wall);
  if (back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return undefined;
  // The offset at the guess, then once more at the corrected instant (DST edges move it).
  let ms = wall - offsetAt(wall, timeZone);
  ms = wall - offsetAt(ms, timeZone);
  return ms;
}
