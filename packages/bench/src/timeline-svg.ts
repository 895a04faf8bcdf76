/**
 * The picture of a lifecycle run: orders per status over time and calls per endpoint per
 * second, one above the other on the same time axis, so a reader sees where the pipeline waits.
 * A hand-written SVG string (no chart library): pure functions of the samples.
 */

export interface TimelineSample {
  /** Seconds since the run started. */
  t: number;
  /** Orders per status (and `not pulled` for those still only in DSCO). */
  status: Record<string, number>;
  /** Cumulative calls per `service endpoint` at `t`. */
  calls: Record<string, number>;
}

/** Runs of one task: [start, end] in seconds since the run started. */
export type RunSpans = Record<string, Array<[number, number]>>;

export interface Series {
  name: string;
  points: Array<[number, number]>;
}

const WIDTH = 960;
const PANEL_HEIGHT = 260;
const MARGIN = { left: 60, right: 300, top: 40, bottom: 36 };
const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf', '#393b79', '#637939'];

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Orders per status as one series per status key, in the order given. */
export function statusSeries(samples: readonly TimelineSample[], keys: readonly string[]): Series[] {
  return keys.map((name) => ({ name, points: samples.map((s): [number, number] => [s.t, s.status[name] ?? 0]) }));
}

/**
 * Calls per second per endpoint over spans of at least `binSeconds` between samples: each span
 * runs from one sample to the first at least a bin later, and its rate is the calls counted
 * between the two over the time between them. Spans end on samples, not on fixed bin edges: the
 * driver samples about once a bin, and a fixed edge would take its count from a sample up to a
 * bin earlier, doubling one bin's rate and zeroing the next. A last span shorter than half a bin
 * is folded into the one before. Endpoints that were never called are left out.
 */
export function callRateSeries(samples: readonly TimelineSample[], binSeconds = 1): Series[] {
  if (samples.length < 2) return [];
  const endpoints = [...new Set(samples.flatMap((s) => Object.keys(s.calls)))].sort();
  const ends: TimelineSample[] = [samples[0]!];
  for (const s of samples.slice(1)) if (s.t - ends[ends.length - 1]!.t >= binSeconds - 1e-9) ends.push(s);
  const last = samples[samples.length - 1]!;
  if (ends[ends.length - 1] !== last) {
    if (ends.length > 1 && last.t - ends[ends.length - 1]!.t < binSeconds / 2) ends.pop();
    ends.push(last);
  }
  return endpoints
    .map((name) => {
      const points: Array<[number, number]> = [];
      for (let i = 1; i < ends.length; i++) {
        const from = ends[i - 1]!;
        const to = ends[i]!;
        points.push([(from.t + to.t) / 2, ((to.calls[name] ?? 0) - (from.calls[name] ?? 0)) / (to.t - from.t)]);
      }
      return { name: shortEndpoint(name), points };
    })
    .filter((s) => s.points.some(([, v]) => v > 0));
}

/** `lingxing /erp/sc/routing/wms/order/wmsOrderList` → `lingxing wmsOrderList` (legends stay short). */
export function shortEndpoint(name: string): string {
  const [service = '', path = ''] = name.split(' ');
  return service === 'lingxing' ? `${service} ${path.slice(path.lastIndexOf('/') + 1)}` : name;
}

/** A round axis maximum ≥ `max`: 1, 2 or 5 × a power of ten. */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

function panel(title: string, unit: string, series: readonly Series[], tMax: number, top: number): string {
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
  const yMax = niceMax(Math.max(0, ...series.flatMap((s) => s.points.map(([, v]) => v))));
  const x = (t: number): number => MARGIN.left + (t / tMax) * plotW;
  const y = (v: number): number => top + MARGIN.top + plotH - (v / yMax) * plotH;
  const parts: string[] = [
    `<text x="${MARGIN.left}" y="${top + 22}" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
    `<rect x="${MARGIN.left}" y="${top + MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const v = (yMax * i) / 4;
    parts.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#eee"/>`,
      `<text x="${MARGIN.left - 6}" y="${(y(v) + 4).toFixed(1)}" font-size="11" text-anchor="end">${formatTick(v)}</text>`,
    );
  }
  const tStep = niceMax(tMax / 8);
  for (let t = 0; t <= tMax + 1e-9; t += tStep) {
    parts.push(`<text x="${x(t).toFixed(1)}" y="${top + MARGIN.top + plotH + 16}" font-size="11" text-anchor="middle">${formatTick(t)}</text>`);
  }
  parts.push(`<text x="${MARGIN.left + plotW / 2}" y="${top + PANEL_HEIGHT - 4}" font-size="11" text-anchor="middle">seconds since start · y: ${escapeXml(unit)}</text>`);
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length]!;
    const d = s.points.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    parts.push(`<polyline fill="none" stroke="${color}" stroke-width="1.8" points="${d}"/>`);
    const ly = top + MARGIN.top + 8 + i * 16;
    parts.push(
      `<rect x="${WIDTH - MARGIN.right + 14}" y="${ly - 8}" width="12" height="4" fill="${color}"/>`,
      `<text x="${WIDTH - MARGIN.right + 32}" y="${ly - 3}" font-size="11">${escapeXml(s.name)}</text>`,
    );
  });
  return parts.join('\n');
}

function formatTick(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

const LANE_HEIGHT = 18;

/**
 * One lane per task with a bar per run, on the panels' time axis: where a stage's runs leave
 * gaps, the stage waited on its input; where they touch, it was the one holding the pipeline.
 */
function runLanes(spans: RunSpans, tasks: readonly string[], tMax: number, top: number): string {
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const x = (t: number): number => MARGIN.left + (Math.min(t, tMax) / tMax) * plotW;
  const parts: string[] = [`<text x="${MARGIN.left}" y="${top + 22}" font-size="15" font-weight="bold">Task runs</text>`];
  tasks.forEach((task, i) => {
    const y = top + MARGIN.top + i * LANE_HEIGHT;
    const color = COLORS[i % COLORS.length]!;
    parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y + LANE_HEIGHT / 2}" y2="${y + LANE_HEIGHT / 2}" stroke="#eee"/>`);
    for (const [from, to] of spans[task] ?? []) {
      const w = Math.max(1, x(to) - x(from));
      parts.push(`<rect x="${x(from).toFixed(1)}" y="${y + 3}" width="${w.toFixed(1)}" height="${LANE_HEIGHT - 6}" fill="${color}" stroke="white" stroke-width="0.5"/>`);
    }
    parts.push(`<text x="${WIDTH - MARGIN.right + 14}" y="${y + LANE_HEIGHT / 2 + 4}" font-size="11">${escapeXml(task)} (${(spans[task] ?? []).length})</text>`);
  });
  return parts.join('\n');
}

/** The whole picture; `statusKeys` in pipeline order; `spans` adds a lane of runs per task. */
export function renderTimelineSvg(title: string, samples: readonly TimelineSample[], statusKeys: readonly string[], spans: RunSpans = {}): string {
  const tMax = Math.max(1, ...samples.map((s) => s.t));
  const tasks = Object.keys(spans);
  const lanesHeight = tasks.length === 0 ? 0 : MARGIN.top + tasks.length * LANE_HEIGHT + 10;
  const height = 2 * PANEL_HEIGHT + 30 + lanesHeight;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif">`,
    `<rect width="${WIDTH}" height="${height}" fill="white"/>`,
    `<text x="${MARGIN.left}" y="18" font-size="13" fill="#555">${escapeXml(title)}</text>`,
    panel('Orders per status', 'orders', statusSeries(samples, statusKeys), tMax, 20),
    panel('Calls per endpoint per second', 'calls/s', callRateSeries(samples, tMax <= 20 ? 0.5 : 1), tMax, 20 + PANEL_HEIGHT),
    ...(tasks.length === 0 ? [] : [runLanes(spans, tasks, tMax, 20 + 2 * PANEL_HEIGHT)]),
    '</svg>',
    '',
  ].join('\n');
}
