import { callRateSeries, escapeXml, niceMax, renderTimelineSvg, shortEndpoint, statusSeries, type TimelineSample } from '../src/timeline-svg.js';

const samples: TimelineSample[] = [
  { t: 0, status: { a: 10, b: 0 }, calls: {} },
  { t: 0.9, status: { a: 6, b: 4 }, calls: { 'dsco /order/page': 3 } },
  { t: 2, status: { a: 0, b: 10 }, calls: { 'dsco /order/page': 5, 'lingxing /pb/mp/order/v2/create': 2 } },
  { t: 2.5, status: { a: 0, b: 10 }, calls: { 'dsco /order/page': 6, 'lingxing /pb/mp/order/v2/create': 2 } },
];

describe('timeline picture', () => {
  it('differences cumulative calls over spans of a bin or more between samples', () => {
    const series = callRateSeries(samples);
    const page = series.find((s) => s.name === 'dsco /order/page');
    // 0 → 2 (0.9 is less than a bin after 0): 5 calls in 2 s; 2 → 2.5 (the last, half a bin): 1 call in 0.5 s
    expect(page?.points).toEqual([
      [1, 2.5],
      [2.25, 2],
    ]);
    expect(series.find((s) => s.name === 'lingxing create')?.points.map(([, v]) => v)).toEqual([1, 0]);
  });

  it('takes a rate from the samples it spans, not from a sample up to a bin before a fixed edge', () => {
    // Samples 1.05 s apart at 10 calls/s: every span's rate is 10, none doubled or zero.
    const steady = Array.from({ length: 8 }, (_, i) => ({ t: i * 1.05, status: {}, calls: { 'dsco /order/log': i * 10.5 } }));
    const points = callRateSeries(steady).find((s) => s.name === 'dsco /order/log')?.points ?? [];
    expect(points).toHaveLength(7);
    for (const [, v] of points) expect(v).toBeCloseTo(10);
  });

  it('keeps one series per status in the order given', () => {
    expect(statusSeries(samples, ['b', 'a']).map((s) => [s.name, s.points.at(-1)])).toEqual([
      ['b', [2.5, 10]],
      ['a', [2.5, 0]],
    ]);
  });

  it('rounds axes up to 1, 2 or 5 times a power of ten', () => {
    expect([niceMax(0), niceMax(7), niceMax(10), niceMax(11), niceMax(1500)]).toEqual([1, 10, 10, 20, 2000]);
  });

  it('folds a last span shorter than half a bin into the one before', () => {
    const short = [...samples.slice(0, 3), { t: 2.2, status: {}, calls: { 'dsco /order/page': 6 } }];
    // 0 → 2.2: 6 calls in 2.2 s (the span 2 → 2.2 is too short to stand alone)
    const points = callRateSeries(short).find((s) => s.name === 'dsco /order/page')?.points ?? [];
    expect(points.map(([t, v]) => [Number(t.toFixed(6)), Number(v.toFixed(6))])).toEqual([[1.1, Number((6 / 2.2).toFixed(6))]]);
  });

  it('shortens Lingxing paths and escapes text', () => {
    expect(shortEndpoint('lingxing /erp/sc/routing/wms/order/wmsOrderList')).toBe('lingxing wmsOrderList');
    expect(shortEndpoint('dsco /order/page')).toBe('dsco /order/page');
    expect(escapeXml('a<b & "c"')).toBe('a&#60;b &#38; &#34;c&#34;');
  });

  it('draws both panels as one SVG document with a line per series', () => {
    const svg = renderTimelineSvg('run <1>', samples, ['a', 'b']);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('run &#60;1&#62;');
    expect(svg).toContain('Orders per status');
    expect(svg).toContain('Calls per endpoint per second');
    // 2 statuses + 2 endpoints
    expect(svg.match(/<polyline /g)).toHaveLength(4);
  });

  it('adds a lane per task with a bar per run when run spans are given', () => {
    const svg = renderTimelineSvg('run', samples, ['a', 'b'], { push: [[0, 1], [1.2, 2]], ack: [[0.5, 2.5]] });
    expect(svg).toContain('Task runs');
    expect(svg).toContain('push (2)');
    expect(svg).toContain('ack (1)');
    // the two panels' frames, two legend swatches each, and three run bars
    expect(svg.match(/<rect x=/g)).toHaveLength(2 + 4 + 3);
    expect(renderTimelineSvg('run', samples, ['a', 'b'])).not.toContain('Task runs');
  });
});
