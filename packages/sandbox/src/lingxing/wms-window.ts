import { lingxingDateTime, type WmsRecord } from '../world/lingxing-side.js';
import type { WmsBody } from './request-schemas.js';

const MONTH_MS = 30 * 86_400_000;

const day = (ms: number): string => lingxingDateTime(ms).slice(0, 10);

/**
 * wmsOrderList's time filter. Without time_type/start_date/end_date Lingxing returns only the
 * last month of outbound records (by creation), so an older one is simply not listed; each
 * date left out defaults to that month's end. Dates are inclusive calendar days (Y-m-d).
 *
 * The simulated world runs ahead of its callers' clocks (wall time), so an end date on or after
 * the caller's today means "up to now" and reaches the simulated today as well.
 */
export function wmsWindowOf(body: WmsBody, now: number, wallNow: number): (record: WmsRecord) => boolean {
  const start = body.start_date ?? day(now - MONTH_MS);
  const requestedEnd = body.end_date ?? day(now);
  const end = requestedEnd >= day(wallNow) && requestedEnd < day(now) ? day(now) : requestedEnd;
  const field = body.time_type ?? 'create_at';
  return (record) => {
    const value = field === 'update_at' ? record.create_at : record[field];
    if (!value) return false;
    const day = value.slice(0, 10);
    return day >= start && day <= end;
  };
}
