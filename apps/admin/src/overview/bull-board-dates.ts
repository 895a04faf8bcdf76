/**
 * Bull Board's date formats pinned to `timeZone` (`admin.display_timezone`), so its times and
 * the overview's read in the same zone whatever the browser's zone is. The fields follow Bull
 * Board's own defaults for today / this year / older; `timeZoneName` makes the zone visible.
 */
export function bullBoardDateFormats(timeZone: string): Record<'short' | 'common' | 'full', Intl.DateTimeFormatOptions> {
  const time = { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZone, timeZoneName: 'short' } as const;
  return {
    short: time,
    common: { month: '2-digit', day: '2-digit', ...time },
    full: { year: 'numeric', month: '2-digit', day: '2-digit', ...time },
  };
}
