import { describeStatus, type OrderStatus } from '@dlsync/store';
import { html, page, SafeHtml } from '../html.js';
import { formatInstant } from './console-time.js';

/** The console's own styles, on top of the shared page styles (same nonce). */
const CONSOLE_STYLE = `
main { max-width: none; }
nav.main a { margin-right: .75rem; } nav.main a[aria-current="page"] { font-weight: 700; text-decoration: none; color: var(--fg); }
form.filters { display:grid; grid-template-columns:repeat(auto-fill,minmax(11rem,1fr)); gap:.6rem; align-items:end; padding:.75rem; border:1px solid var(--line); border-radius:6px; background:var(--panel); }
form.filters fieldset { grid-column:1/-1; border:0; padding:0; margin:0; display:flex; flex-wrap:wrap; gap:.75rem; }
form.filters legend { font-size:.85rem; color:var(--muted); padding:0; margin-bottom:.2rem; }
.buttons { display:flex; gap:.5rem; align-items:center; flex-wrap:wrap; }
.chips { display:flex; flex-wrap:wrap; gap:.4rem; list-style:none; padding:0; margin:.75rem 0; }
.chips li > a, .chips li > span { display:inline-block; border:1px solid var(--line); border-radius:999px; padding:.15rem .65rem; background:#fff; text-decoration:none; }
.chips .n { margin-left:.25rem; font-weight:650; font-variant-numeric:tabular-nums; }
.table-wrap { overflow-x:auto; }
td.wrap { max-width:22rem; overflow-wrap:anywhere; }
dl.fields { display:grid; grid-template-columns:max-content 1fr; gap:.2rem 1rem; margin:0; }
dl.fields dt { color:var(--muted); } dl.fields dd { margin:0; overflow-wrap:anywhere; }
.panel { border:1px solid var(--line); border-radius:6px; padding:.75rem 1rem; }
.notice { border-left:4px solid var(--accent); background:var(--panel); padding:.5rem .75rem; }
.bad { color:var(--bad); font-weight:600; } .ok { color:var(--ok); font-weight:600; } .warn { color:var(--warn); font-weight:600; }
textarea { font:inherit; padding:.35rem .5rem; border:1px solid #8c959f; border-radius:4px; min-height:4rem; width:100%; }
.span2 { grid-column:span 2; }
fieldset.actions { border:0; padding:0; margin:0; min-width:0; }
button[disabled] { opacity:.5; cursor:not-allowed; }
`;

export type ConsoleSection = 'orders' | 'attention' | 'stock' | 'check-range';

const NAV: [ConsoleSection | 'overview', string, string][] = [
  ['overview', '/', 'Overview'],
  ['orders', '/orders', 'Orders'],
  ['attention', '/attention', 'Attention'],
  ['stock', '/stock', 'Stock'],
  ['check-range', '/check-range', 'Check range'],
];

export interface ConsolePageOptions {
  title: string;
  nonce: string;
  section: ConsoleSection;
  user?: string;
  timeZone: string;
  body: SafeHtml;
  script?: string;
}

/** A console page: the shared page shell, the console nav, its styles and (optionally) its script. */
export function consolePage(o: ConsolePageOptions): string {
  const header = html`<header>
  <h1>dlsync · ${o.title}</h1>
  <nav class="main" aria-label="Main">${NAV.map(
    ([key, href, label]) => html`<a href="${href}" data-testid="nav-${key}"${key === o.section ? new SafeHtml(' aria-current="page"') : ''}>${label}</a>`,
  )}<a href="/admin/queues">Bull Board</a></nav>
  <span class="muted" data-testid="display-timezone">Times in ${o.timeZone}</span>
  ${o.user ? html`<span class="muted">${o.user}</span>` : ''}
  <form method="post" action="/logout"><button type="submit" class="secondary">Sign out</button></form>
</header>`;
  const body = html`<style nonce="${o.nonce}">${new SafeHtml(CONSOLE_STYLE)}</style>${o.body}`;
  return page({ title: `${o.title} · dlsync`, nonce: o.nonce, header, body, ...(o.script ? { script: o.script } : {}) });
}

/** A timestamp shown in the display zone, machine-readable in UTC. */
export function timeCell(value: unknown, timeZone: string): SafeHtml {
  if (value === null || value === undefined || value === '') return html``;
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(String(value));
  if (!Number.isFinite(ms)) return html`${String(value)}`;
  return html`<time datetime="${new Date(ms).toISOString()}">${formatInstant(ms, timeZone)}</time>`;
}

/** dsco_create_time is epoch seconds. */
export const createTimeCell = (seconds: unknown, timeZone: string) => (typeof seconds === 'number' ? timeCell(seconds * 1000, timeZone) : html``);

export const statusText = (status: OrderStatus) => describeStatus(status);

export const orderLink = (po: string) => html`<a href="/orders/${encodeURIComponent(po)}">${po}</a>`;

/**
 * Wraps a page's action controls: a viewer (read-only role) gets them disabled with a note,
 * since the API would refuse the change anyway (403).
 */
export function actionArea(readOnly: boolean | undefined, content: SafeHtml): SafeHtml {
  return html`<fieldset class="actions" data-testid="actions"${readOnly ? html` disabled` : ''}>
  ${readOnly ? html`<p class="muted" data-testid="read-only">Your role can read but not change anything.</p>` : ''}
  ${content}
</fieldset>`;
}

/** Shown where an action needs the page script. */
export const NEEDS_SCRIPT = html`<noscript><p class="muted">Actions need JavaScript; everything on this page reads without it. The same actions are in the JSON API and the CLI.</p></noscript>`;
