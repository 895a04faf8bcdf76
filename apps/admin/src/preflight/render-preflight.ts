import type { PreflightReport } from '@dlsync/services';
import { formatInstant } from '../console/console-time.js';
import { html, type SafeHtml } from '../html.js';

const LABEL = { ok: 'ok', fail: 'FAIL', skipped: 'skipped' } as const;

/**
 * The newest `dlsync preflight` on the overview: when it ran, each check's outcome and, for a
 * failed one, its problems and fix. The admin holds no DSCO or Lingxing credentials, so it shows
 * the report the CLI stored instead of running the checks itself.
 */
export function renderPreflight(report: PreflightReport | undefined, timeZone: string): SafeHtml {
  if (!report) {
    return html`<section aria-labelledby="preflight-title"><h2 id="preflight-title">Preflight</h2>
<p data-testid="preflight-none">No preflight yet. Run <code>dlsync preflight</code> before go-live and after every mapping change.</p></section>`;
  }
  const failed = report.checks.filter((c) => c.status === 'fail').length;
  const rows = report.checks.map(
    (c) => html`<tr data-testid="preflight-${c.id}"><td>${LABEL[c.status]}</td><td>${c.title}</td><td>${c.detail}${
      c.problems.length > 0 ? html`<ul>${c.problems.map((p) => html`<li>${p}</li>`)}</ul>` : ''
    }${c.fix ? html`<p><strong>Fix:</strong> ${c.fix}</p>` : ''}</td></tr>`,
  );
  return html`<section aria-labelledby="preflight-title"><h2 id="preflight-title">Preflight</h2>
<p data-testid="preflight-verdict" class="${report.ok ? 'muted' : 'error'}">${report.ok ? 'Passed' : `${failed} check${failed === 1 ? '' : 's'} failed`} at <time datetime="${report.checkedAt}">${formatInstant(report.checkedAt, timeZone)} ${timeZone}</time> (<code>dlsync preflight</code> runs it again).</p>
<table><thead><tr><th>Status</th><th>Check</th><th>Result</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}
