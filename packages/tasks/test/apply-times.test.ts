import { makeApplyTimes } from '../src/verified-writes/apply-times.js';

describe('makeApplyTimes', () => {
  let clock = 0;
  const sentAgo = (ms: number) => new Date(clock - ms);
  beforeEach(() => (clock = 1_000_000));

  it('reads a write of a kind it has not seen at once', () => {
    expect(makeApplyTimes({ now: () => clock }).waitBeforeFirstRead('shipment', sentAgo(0))).toBe(0);
  });

  it('waits for the apply time the last write showed: halfway between its last PROCESSING read and its COMPLETED one', () => {
    const times = makeApplyTimes({ now: () => clock });
    const sent = sentAgo(0);
    clock += 50;
    times.observe('shipment', 1, sent, false);
    clock += 250;
    times.observe('shipment', 1, sent, false);
    clock += 250;
    times.observe('shipment', 1, sent, true);
    // PROCESSING at 300 ms, COMPLETED at 550 ms: the next write is first read at 425 ms.
    expect(times.waitBeforeFirstRead('shipment', sentAgo(0))).toBe(425);
    expect(times.waitBeforeFirstRead('shipment', sentAgo(400))).toBe(25);
    expect(times.waitBeforeFirstRead('shipment', sentAgo(600))).toBe(0);
    // Per kind: an acknowledgement is still read at once.
    expect(times.waitBeforeFirstRead('ack', sentAgo(0))).toBe(0);
  });

  it('keeps an estimate DSCO meets, lowers one it beats, and caps a slow spell', () => {
    const times = makeApplyTimes({ now: () => clock, capMs: 1000 });
    times.observe('invoice', 1, sentAgo(300), false);
    times.observe('invoice', 1, sentAgo(700), true);
    expect(times.waitBeforeFirstRead('invoice', sentAgo(0))).toBe(500);
    // Completed at its first read, 500 ms after: the estimate stays.
    times.observe('invoice', 2, sentAgo(500), true);
    expect(times.waitBeforeFirstRead('invoice', sentAgo(0))).toBe(500);
    // Completed at its first read after only 200 ms (read early by another run): it comes down.
    times.observe('invoice', 3, sentAgo(200), true);
    expect(times.waitBeforeFirstRead('invoice', sentAgo(0))).toBe(200);
    // A write DSCO held for a minute: the next first read waits at most the cap.
    times.observe('invoice', 4, sentAgo(59_000), false);
    times.observe('invoice', 4, sentAgo(60_000), true);
    expect(times.waitBeforeFirstRead('invoice', sentAgo(0))).toBe(1000);
    // The cap pinned nothing: a write completed at its first read, at the cap, halves it.
    times.observe('invoice', 5, sentAgo(1000), true);
    expect(times.waitBeforeFirstRead('invoice', sentAgo(0))).toBe(500);
  });

  it('reads the next write earlier while no PROCESSING read has pinned the estimate', () => {
    const times = makeApplyTimes({ now: () => clock, capMs: 1000 });
    // First seen 2.6 s after its send (its read queued behind others): no more than that, capped.
    times.observe('shipment', 1, sentAgo(2600), true);
    expect(times.waitBeforeFirstRead('shipment', sentAgo(0))).toBe(1000);
    // Read at that estimate and completed: it may be less, so the next is read at half.
    times.observe('shipment', 2, sentAgo(1000), true);
    expect(times.waitBeforeFirstRead('shipment', sentAgo(0))).toBe(500);
    // Read at 500 ms and PROCESSING, completed at 750 ms: pinned at 625 ms, and kept while met.
    times.observe('shipment', 3, sentAgo(500), false);
    times.observe('shipment', 3, sentAgo(750), true);
    times.observe('shipment', 4, sentAgo(625), true);
    expect(times.waitBeforeFirstRead('shipment', sentAgo(0))).toBe(625);
  });

  it('forgets the oldest write still PROCESSING past its bound', () => {
    const times = makeApplyTimes({ now: () => clock, maxTracked: 2 });
    times.observe('shipment', 1, sentAgo(400), false);
    times.observe('shipment', 2, sentAgo(400), false);
    times.observe('shipment', 3, sentAgo(400), false);
    // Write 1 was forgotten: its COMPLETED read counts as a first read (at most its age, halved: nothing pinned it).
    times.observe('shipment', 1, sentAgo(600), true);
    expect(times.waitBeforeFirstRead('shipment', sentAgo(0))).toBe(300);
    times.observe('shipment', 3, sentAgo(800), true);
    expect(times.waitBeforeFirstRead('shipment', sentAgo(0))).toBe(600);
  });
});
