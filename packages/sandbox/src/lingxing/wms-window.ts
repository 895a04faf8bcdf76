import { lingxingDateTime, type WmsRecord } from '../world/lingxing-side.js';
import type { WmsBody } from './request-schemas.js';

const MONTH_MS = 30 * 86_400_000;

/**
 * wmsOrderList's time filter. Without time_type/start_date/end_date Lingxing returns only the
 * last month of outbound records (by creation), so an older one is simply not listed; each
 * date left out defaults to that month's end. Dates are inclusive calendar days (Y-m-d).
 */
export function wmsWindowOf(body: WmsBody, now: number): (record: WmsRecord) => boolean {
  const start = body.start_date ?? lingxingDateTime(now - MONTH_MS).slice(0, 10);
  const end = body.end_date ?? lingxingDateTime(now).slice(0, 10);
  const field = body.time_type ?? 'create_at';
  return (record) => {
    const value = field === 'update_at' ? record.create_at : record[field];
    if (!value) return false;
    const day = value.slice(0, 10);
    return day >= start && day <= end;
  };
}
