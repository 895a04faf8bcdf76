import { parseLingxingTime } from '@dlsync/lingxing';

/**
 * A WMS "YYYY-MM-DD HH:MM:SS" warehouse-local time as a UTC Date, or undefined for "", zero
 * dates and anything unparsable. (Default zone: UTC, as the spec says unless configured.)
 */
export function parseWmsTime(value: string | null | undefined, zone = 'UTC'): Date | undefined {
  return (value && parseLingxingTime(value, zone)) || undefined;
}

/** RFC3339 UTC without milliseconds, e.g. `2026-01-02T03:04:05Z`. */
export function toRfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
