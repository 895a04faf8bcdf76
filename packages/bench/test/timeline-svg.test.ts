import { callRateSeries, escapeXml, niceMax, renderTimelineSvg, shortEndpoint, statusSeries, type TimelineSample } from '../src/timeline-svg.js';

const samples: TimelineSample[] = [
  { t: 0, status: { a: 10, b: 0 }, calls: {} },
  { t: 0.9, status: { a: 6, b: 4 }, calls: { 'dsco /order/page': 3 } },
  { t: 2, status: { a: 0, b: 10 }, calls: { 'dsco /order/page': 5, 'lingxing /pb/mp/order/v2/create': 2 } },
  { t: 2.5, status: { a: 0, b: 10 }, calls: { 'dsco /order/page': 6, 'lingxing /pb/mp/order/v2/create': 2 } },
];

describe('timeline picture', () => {
  it('differences cumulative calls into rates per bin, the last bin as long as the run', () => {
    const series = callRateSeries(samples);
    const page = series.find((s) => s.name === 'dsco /order/page');
    // [0,1): 3 calls (sample at 0.9); [1,2): 2; [2,2.5): 1 call in half a second
    expect(page?.points).toEqual([
      [0.5, 3],
      [1.5, 2],
      [2.25, 2],
    ]);
    expect(series.find((s) => s.name === 'lingxing create')?.points.map(([, v]) => v)).toEqual([0, 2, 0]);
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

  it('folds a last bin shorter than half a bin into the one before', () => {
    const short = [...samples.slice(0, 3), { t: 2.2, status: {}, calls: { 'dsco /order/page': 6 } }];
    // [0,1): 3; [1,2.2): 3 calls in 1.2 s
    const points = callRateSeries(short).find((s) => s.name === 'dsco /order/page')?.points ?? [];
    expect(points.map(([t, v]) => [Number(t.toFixed(6)), Number(v.toFixed(6))])).toEqual([
      [0.5, 3],
      [1.6, 2.5],
    ]);
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
