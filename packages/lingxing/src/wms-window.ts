import type { WmsTimeType } from './params.js';

const DAY_MS = 86_400_000;

export interface WmsWindow {
  time_type: WmsTimeType;
  /** `YYYY-MM-DD` in Lingxing's zone. */
  start_date: string;
  end_date: string;
}

export interface WmsWindowOptions {
  /** The oldest record wanted was created at or after this instant. */
  since: Date;
  now: Date;
  /** IANA zone the dates are read in by Lingxing. */
  timezone: string;
  /** Days one window may span. */
  maxDays: number;
}

/**
 * The `create_at` windows covering [since, now]. Without a window wmsOrderList returns only the
 * last month, so an order whose outbound is older would never be seen. An outbound is created
 * after the order it ships, so windows from the order's creation on cover all of its outbounds.
 * Both ends get a day of margin because the dates are calendar days in a zone the references
 * do not state; each window spans at most `maxDays` (the one span the references do state).
 */
export function wmsWindows({ since, now, timezone, maxDays }: WmsWindowOptions): WmsWindow[] {
  const first = calendarDay(since.getTime() - DAY_MS, timezone);
  const last = calendarDay(Math.max(now.getTime(), since.getTime()) + DAY_MS, timezone);
  const windows: WmsWindow[] = [];
  for (let start = first; start <= last; start += maxDays * DAY_MS) {
    const end = Math.min(last, start + (maxDays - 1) * DAY_MS);
    windows.push({ time_type: 'create_at', start_date: isoDay(start), end_date: isoDay(end) });
  }
  return windows;
}

/** Midnight UTC of the calendar day `instant` falls on in `timezone` (a day number, not an instant). */
function calendarDay(instant: number, timezone: string): number {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(instant));
  return Date.parse(`${parts}T00:00:00Z`);
}

function isoDay(dayMs: number): string {
  return new Date(dayMs).toISOString().slice(0, 10);
}
