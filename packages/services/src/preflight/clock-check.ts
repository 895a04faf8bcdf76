import { parseLingxingTime } from '@dlsync/lingxing';
import { failed, passed, skipped, type PreflightCheck } from './check.js';

const CHECK = { id: 'lingxing.clock', title: "Timezone setting against Lingxing's clock (response_time)" } as const;

/** One Lingxing answer carrying `response_time`, with this machine's clock around the call. */
export interface ClockSample {
  responseTime: string;
  /** Epoch ms just before the call was sent and just after it was answered. */
  sentAtMs: number;
  receivedAtMs: number;
}

/** (Default for `toleranceMs`) Two minutes: the time of one slow call plus ordinary clock drift. */
export const CLOCK_TOLERANCE_MS = 120_000;
const HALF_HOUR_MS = 1_800_000;

function formatOffset(ms: number): string {
  const sign = ms < 0 ? '-' : '+';
  const minutes = Math.round(Math.abs(ms) / 60_000);
  return `UTC${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** A zone name for a whole-hour offset (`Etc/GMT` signs are inverted by POSIX convention). */
function zoneFor(offsetMs: number): string {
  const hours = offsetMs / 3_600_000;
  if (hours === 0) return 'UTC';
  if (hours === 8) return 'Asia/Shanghai';
  return Number.isInteger(hours) ? `Etc/GMT${hours > 0 ? '-' : '+'}${Math.abs(hours)}` : `a zone at ${formatOffset(offsetMs)}`;
}

/** The zone's UTC offset at `instant`, in ms; undefined for a name Intl does not know. */
function offsetOf(timezone: string, instant: number): number | undefined {
  try {
    const wall = parseLingxingTime(new Date(instant).toISOString().slice(0, 19).replace('T', ' '), timezone);
    // The wall text drops the milliseconds; zone offsets are whole minutes.
    return wall ? Math.round((instant - wall.getTime()) / 60_000) * 60_000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Lingxing writes its times ("YYYY-MM-DD HH:MM:SS", no zone) in its own zone, and dlsync reads
 * them in `integration.lingxing.timezone`. Read that way, `response_time` must fall within
 * `toleranceMs` of the call; off by whole half-hours means the zone is wrong, otherwise a clock is.
 */
export function checkClock(timezone: string, sample: ClockSample | undefined, toleranceMs = CLOCK_TOLERANCE_MS): PreflightCheck {
  const { id, title } = CHECK;
  if (!sample) return skipped(id, title, 'no Lingxing answer carried response_time');
  const configuredOffset = offsetOf(timezone, sample.receivedAtMs);
  if (configuredOffset === undefined) {
    return failed(id, title, 'unknown timezone', [`integration.lingxing.timezone: "${timezone}" is not an IANA time zone`], 'set integration.lingxing.timezone to an IANA zone name such as Asia/Shanghai or UTC');
  }
  const theirs = parseLingxingTime(sample.responseTime, timezone);
  if (!theirs) return skipped(id, title, `response_time "${sample.responseTime}" is not a Lingxing date-time`);
  const midpoint = (sample.sentAtMs + sample.receivedAtMs) / 2;
  const slack = toleranceMs + (sample.receivedAtMs - sample.sentAtMs) / 2;
  const drift = theirs.getTime() - midpoint;
  if (Math.abs(drift) <= slack) return passed(id, title, `response_time read in ${timezone} is within ${Math.round(Math.abs(drift) / 1000)} s of this machine's clock`);
  const zoneShift = Math.round(drift / HALF_HOUR_MS) * HALF_HOUR_MS;
  if (zoneShift !== 0 && Math.abs(drift - zoneShift) <= slack) {
    // Their wall time is now + their offset; read in our zone it lands (their − our offset) away.
    const lingxingOffset = configuredOffset + zoneShift;
    return failed(
      id,
      title,
      `Lingxing's clock runs at ${formatOffset(lingxingOffset)}, integration.lingxing.timezone (${timezone}) at ${formatOffset(configuredOffset)}`,
      [`integration.lingxing.timezone: response_time "${sample.responseTime}" read in ${timezone} is ${formatOffset(drift).slice(3)} off this machine's clock`],
      `set integration.lingxing.timezone to ${zoneFor(lingxingOffset)} (the zone Lingxing writes its times in)`,
    );
  }
  return failed(
    id,
    title,
    `clocks differ by ${Math.round(drift / 1000)} s`,
    [`response_time "${sample.responseTime}" is ${Math.round(Math.abs(drift) / 1000)} s ${drift > 0 ? 'ahead of' : 'behind'} this machine's clock, not a timezone difference`],
    "synchronise this machine's clock (NTP); Lingxing refuses signs whose timestamp is off by minutes",
  );
}
