const WMS_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;

/** Offset of `zone` from UTC in ms at the given UTC instant. */
function zoneOffsetMs(utcMs: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - utcMs;
}

/**
 * A WMS "YYYY-MM-DD HH:MM:SS" warehouse-local time as a UTC Date, or undefined for "" and
 * anything unparsable. (Default zone: UTC, as the spec says unless configured.)
 */
export function parseWmsTime(value: string | null | undefined, zone = 'UTC'): Date | undefined {
  const m = value ? WMS_TIME.exec(value.trim()) : null;
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const naive = Date.UTC(y, mo - 1, d, h, mi, s);
  if (Number.isNaN(naive)) return undefined;
  if (zone === 'UTC') return new Date(naive);
  // Two passes settle the offset across DST boundaries.
  let utc = naive - zoneOffsetMs(naive, zone);
  utc = naive - zoneOffsetMs(utc, zone);
  return new Date(utc);
}

/** RFC3339 UTC without milliseconds, e.g. `2026-01-02T03:04:05Z`. */
export function toRfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
