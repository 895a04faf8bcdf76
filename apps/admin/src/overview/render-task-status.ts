import { formatInstant } from '../console/console-time.js';
import { html, SafeHtml } from '../html.js';
import { STALE_AFTER_INTERVALS, type TaskState, type TaskStatus } from './task-status.js';

/** Row highlight for overdue tasks and the state badges. */
export const TASK_TABLE_STYLE = `
tr.task-stale { background:#fff1f0; } tr.task-stale th { box-shadow: inset 4px 0 0 var(--bad); }
.badge { display:inline-block; padding:0 .4rem; border-radius:3px; font-size:.8rem; font-weight:600; }
.badge-stale { background:var(--bad); color:#fff; } .badge-off { background:var(--line); color:var(--fg); }
.state-running { color:var(--accent); font-weight:600; } .state-retrying { color:var(--warn); font-weight:600; }
.state-failing { color:var(--bad); font-weight:600; }
`;

/** `12 min ago` / `in 3 h`: coarse, for scanning a table. */
export function relative(at: Date, now: Date): string {
  const ms = at.getTime() - now.getTime();
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const text = minutes < 1 ? `${Math.round(Math.abs(ms) / 1000)} s` : minutes < 90 ? `${minutes} min` : minutes < 48 * 60 ? `${Math.round(minutes / 60)} h` : `${Math.round(minutes / 1440)} d`;
  return ms >= 0 ? `in ${text}` : `${text} ago`;
}

function time(at: Date | null, now: Date, tz: string): SafeHtml {
  if (!at) return html`<span class="muted">—</span>`;
  return html`<time datetime="${at.toISOString()}">${formatInstant(at, tz)}</time> <span class="muted">(${relative(at, now)})</span>`;
}

function stateCell(state: TaskState, now: Date, tz: string): SafeHtml {
  switch (state.kind) {
    case 'running':
      return html`<span class="state-running" data-state="running">running</span> attempt ${state.attempt} of ${state.attempts}${state.since ? html`, since ${time(state.since, now, tz)}` : ''}`;
    case 'retrying':
      return html`<span class="state-retrying" data-state="retrying">retrying: attempt ${state.attempt} of ${state.attempts}</span>${state.nextTry ? html` ${time(state.nextTry, now, tz)}` : ''}
        <div class="error" data-testid="last-error">last error: ${state.lastError}</div>`;
    case 'failing':
      return html`<span class="state-failing" data-state="failing">failing since ${time(state.since, now, tz)}</span> (${state.failures} run${state.failures === 1 ? '' : 's'})
        <div class="error" data-testid="last-error">${state.lastError}</div>`;
    case 'ok':
      return html`<span class="status-${state.status}" data-state="ok">${state.status}</span>${state.finishedAt ? html`, finished ${time(state.finishedAt, now, tz)}` : ''}`;
    case 'never run':
      return html`<span class="muted" data-state="never run">never run</span>`;
  }
}

function scheduleCell(t: TaskStatus, now: Date, tz: string): SafeHtml {
  if (t.manualOnly) return html`<span class="muted">manual only</span>`;
  if (!t.enabled) return html`<span class="badge badge-off" data-testid="disabled">disabled</span>${t.cron ? html` <code class="muted">${t.cron}</code>` : ''}`;
  return html`<code>${t.cron ?? ''}</code><div class="muted">next ${time(t.nextRun, now, tz)}</div>`;
}

/**
 * Per task: schedule, last success, what it is doing now; a task without a success within
 * STALE_AFTER_INTERVALS intervals gets a red row and a badge.
 */
export function renderTaskStatuses(tasks: TaskStatus[], options: { now: Date; timeZone: string; nonce: string }): SafeHtml {
  const { now, timeZone: tz } = options;
  const rows = tasks.map(
    (t) => html`<tr class="${t.stale ? 'task-stale' : ''}" data-state="${t.state.kind}" data-testid="latest-run-${t.task}">
      <th scope="row">${t.task}${t.stale ? html` <span class="badge badge-stale" data-testid="stale-${t.task}">no success in ${STALE_AFTER_INTERVALS} intervals</span>` : ''}</th>
      <td>${scheduleCell(t, now, tz)}</td>
      <td data-testid="last-success-${t.task}">${time(t.lastSuccess, now, tz)}</td>
      <td data-testid="state-${t.task}">${stateCell(t.state, now, tz)}</td>
      <td class="num">${t.lastCounts ? `${t.lastCounts.ok} / ${t.lastCounts.skipped} / ${t.lastCounts.failed}` : ''}</td>
      <td class="num">${t.queued}</td>
      <td>${t.lastJobId ? html`<a href="/admin/queues/queue/${encodeURIComponent(t.task)}/${encodeURIComponent(t.lastJobId)}">job ${t.lastJobId}</a>` : ''}</td>
      <td><button type="button" class="secondary" data-run-task="${t.task}" data-testid="run-now-${t.task}">Run now</button></td>
    </tr>`,
  );
  return html`<section aria-labelledby="runs-title">
  <style nonce="${options.nonce}">${new SafeHtml(TASK_TABLE_STYLE)}</style>
  <h2 id="runs-title">Tasks <span class="muted">(times in ${tz})</span></h2>
  <table data-testid="latest-runs">
    <thead><tr><th scope="col">Task</th><th scope="col">Schedule</th><th scope="col">Last success</th><th scope="col">Now</th>
      <th scope="col" class="num">last run ok / skipped / failed</th><th scope="col" class="num">Queued</th><th scope="col">Bull Board</th><th scope="col"><span class="muted">Action</span></th></tr></thead>
    <tbody>${rows}</tbody>
  </table>
</section>`;
}
