const LINGXING_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;

/**
 * Parses Lingxing's warehouse-local "YYYY-MM-DD HH:MM:SS" in `timeZone` (an IANA name).
 * Returns null for "" and for Lingxing's zero dates (`0000-00-00 00:00:00`).
 */
export function parseLingxingTime(value: string, timeZone = 'UTC'): Date | null {
  const match = LINGXING_TIME.exec(value.trim());
  if (!match) return null;
  const [y, mo, d, h, mi, s] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  if (y === 0 || mo === 0 || d === 0) return null;
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  if (timeZone === 'UTC') return new Date(wall);
  // The zone's offset at the guessed instant, re-checked once so DST transitions land right.
  let instant = wall - zoneOffsetMs(wall, timeZone);
  instant = wall - zoneOffsetMs(instant, timeZone);
  return new Date(instant);
}

function zoneOffsetMs(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(instant / 1000) * 1000;
}
