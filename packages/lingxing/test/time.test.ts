import { parseLingxingTime } from '@dlsync/lingxing';

describe('parseLingxingTime', () => {
  it('reads warehouse-local times as UTC by default', () => {
    expect(parseLingxingTime('2025-03-01 10:20:30')?.toISOString()).toBe('2025-03-01T10:20:30.000Z');
  });

  it('applies a configured zone, including its daylight-saving offset', () => {
    expect(parseLingxingTime('2025-03-01 10:00:00', 'Asia/Shanghai')?.toISOString()).toBe('2025-03-01T02:00:00.000Z');
    expect(parseLingxingTime('2025-01-15 12:00:00', 'America/Los_Angeles')?.toISOString()).toBe('2025-01-15T20:00:00.000Z');
    expect(parseLingxingTime('2025-07-15 12:00:00', 'America/Los_Angeles')?.toISOString()).toBe('2025-07-15T19:00:00.000Z');
  });

  it('returns null for "", zero dates and anything that is not "YYYY-MM-DD HH:MM:SS"', () => {
    expect(parseLingxingTime('')).toBeNull();
    expect(parseLingxingTime('0000-00-00 00:00:00')).toBeNull();
    expect(parseLingxingTime('yesterday')).toBeNull();
    expect(parseLingxingTime('2025-03-01')).toBeNull();
  });
});
