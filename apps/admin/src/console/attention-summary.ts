import { ATTENTION_KINDS, countAttention, type AttentionKind } from '@dlsync/store';
import type { AdminContext } from '../context.js';
import { html, type SafeHtml } from '../html.js';
import { readConsoleSettings } from './console-time.js';
import { ATTENTION_LABELS } from './render-attention.js';

/** Attention counts per kind, for the overview. */
export function loadAttentionCounts(ctx: AdminContext): Promise<Record<AttentionKind, number>> {
  return countAttention(ctx.store.db, { now: ctx.now(), withinHours: readConsoleSettings(ctx.env).attentionHours });
}

/** The overview's "Needs attention" section: one count per kind, linking to /attention. */
export function renderAttentionSummary(counts: Record<AttentionKind, number>): SafeHtml {
  return html`<section aria-labelledby="attention-title">
  <h2 id="attention-title">Needs attention <a href="/attention" class="muted">(open the list)</a></h2>
  <ol class="funnel" data-testid="attention-summary">
    ${ATTENTION_KINDS.map((k) => html`<li><span class="count" data-testid="attention-summary-${k}">${counts[k]}</span><span class="label">${ATTENTION_LABELS[k]}</span></li>`)}
  </ol>
</section>`;
}
