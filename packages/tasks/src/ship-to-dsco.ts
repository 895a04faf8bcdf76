import type { DscoOrderShipments } from '@dlsync/dsco';
import type { TaskContext } from '@dlsync/runner';
import { readDscoTruth, type DscoTruth } from './dsco-truth.js';
import { coversOrder, joinTracking, orderedQty, planShipments, splitTracking, type LineKeyPreference, type ShipmentPlan } from './rules/index.js';
import { DSCO_PAGE_CHUNK_SIZE, toCandidates, type Candidate } from './row-source.js';
import { failOrders } from './remote-failures.js';
import { shipFactsOf, type ShipFacts } from './ship-facts.js';
import { oldestOrderDate, readShippedWms } from './ship-wms.js';
import { withEarlierSettling, type SentWrite, type VerifiedWrites } from './verified-writes/index.js';
import { makeShipmentWrites, type ShipmentSendFacts } from './writes/shipment-writes.js';
import { writeDepsOf, writeOptionsOf } from './writes/task-write-deps.js';

type Ctx = TaskContext<'ship_to_dsco'>;

/** Why a partly shipped PO sends nothing yet (jobs.ship_to_dsco.partial_shipments is false). */
const PARTLY_SHIPPED_HELD = 'partly shipped, holding its packages until the whole PO has shipped (partial_shipments: false)';

/** Longest list a report detail carries; the rest is counted, and every order is logged anyway. */
const DETAIL_LIST_MAX = 500;

/** Figures of one run, reported as details at the end. */
interface ShipTally {
  shipmentsSent: number;
  trackingNumbers: string[];
  advanced: number;
  waiting: number;
  problems: string[];
}

/** An order whose new shipments are ready to go, with the tracking numbers DSCO is known to hold. */
interface Outgoing extends Candidate {
  plan: ShipmentPlan;
  /** Tracking numbers known to be in DSCO before this send (DB ∪ DSCO packages). */
  known: string;
  /** What the WMS read showed, kept on the row when the order moves to 4. */
  facts: ShipFacts | undefined;
  /** These shipments plus those DSCO holds cover every ordered line (the row moves to 4 once applied). */
  covers: boolean;
}

/**
 * SPEC §6 ship_to_dsco: rows at 3. DSCO's own record is read (status and the packages
 * it already holds), and a PO with a shipment write still pending or in doubt is left alone,
 * so a tracking number is never sent twice — even when DSCO applies a batch minutes after an
 * answer was lost. Tracking numbers are stored, and the row advances, only once DSCO's change
 * log says the shipment was applied. The WMS facts a row moves to 4 with (shipped quantity per
 * line key, ship times, tracking numbers) are kept on it, so invoice_to_dsco need not read WMS
 * again. Shipments of the whole run fill DSCO's bodies by bytes, not one body set per chunk.
 */
export async function shipToDsco(ctx: Ctx): Promise<void> {
  // Refuse up front: a WMS sku we cannot map back would ship the wrong DSCO line.
  ctx.mapping.assertReversible(['sku']);
  const tally: ShipTally = { shipmentsSent: 0, trackingNumbers: [], advanced: 0, waiting: 0, problems: [] };
  const facts = new Map<string, ShipmentSendFacts>();
  const writes = makeShipmentWrites(ctx, writeDepsOf(ctx), (po) => facts.get(po), tally, writeOptionsOf(ctx));
  // Earlier runs' shipments settle beside this run: what DSCO applied moves its rows, what it
  // refused gets its reason, and this run plans nothing for their POs (DSCO may still be applying them).
  const { earlier, fresh } = await withEarlierSettling(ctx, writes, 3, DSCO_PAGE_CHUNK_SIZE, async (chunks) => {
    let handled = 0;
    for await (const rows of chunks) {
      const unreported = rows.filter((r) => !writes.reported().has(r.po_number));
      await shipChunk(ctx, toCandidates(ctx, unreported, ctx.job.multi_ban), tally, writes, facts);
      handled += rows.length;
      ctx.progress((handled / Math.max(ctx.size, handled)) * 100);
    }
    countSent(tally, await writes.flush());
  });
  ctx.report.detail('writes', { earlier, fresh });
  ctx.report.detail('shipments_sent', tally.shipmentsSent);
  ctx.report.detail('tracking_numbers', tally.trackingNumbers);
  ctx.report.detail('advanced', tally.advanced);
  ctx.report.detail('waiting', tally.waiting);
  ctx.report.detail('problems', tally.problems);
}

async function shipChunk(
  ctx: Ctx,
  all: Candidate[],
  tally: ShipTally,
  writes: VerifiedWrites<DscoOrderShipments>,
  facts: Map<string, ShipmentSendFacts>,
): Promise<void> {
  // Never for a PO that has a shipment write pending or in doubt: DSCO may still be applying it.
  const open = await writes.openKeys(all.map((c) => c.row.po_number));
  for (const po of open) ctx.orderDone(po, 'waiting', 'a shipment write of it is still pending or in doubt at DSCO');
  const candidates = all.filter((c) => !open.has(c.row.po_number));
  if (candidates.length === 0) return;
  const pos = candidates.map((c) => c.row.po_number);
  // WMS is read beside DSCO, not after it: its records do not depend on DSCO's answer (a PO DSCO
  // already shipped just leaves its records unused), and the run's write waits on both reads.
  // The window reaches back to the oldest order: Lingxing lists only the last month otherwise.
  const since = oldestOrderDate(candidates.map((c) => c.order));
  // Settled into a value, never rejected: it is awaited whatever DSCO answers (no read outlives the
  // chunk), and judged only when some PO still waits for its shipment.
  const wmsRead = readShippedWms(ctx.lingxing, ctx.mapping, pos, { signal: ctx.signal, ...(since && { since }) }).then(
    (records) => ({ records }),
    (error: unknown) => ({ error }),
  );
  let truth: Map<string, DscoTruth>;
  try {
    truth = await readDscoTruth(ctx.dsco, candidates.map((c) => c.row), {
      byPo: ctx.onlyPoNumber !== undefined,
      signal: ctx.signal,
    });
  } catch (err) {
    await wmsRead;
    failOrders(ctx, pos, 'DSCO order read', err);
    return;
  }

  const pending: Array<Candidate & { dscoTracking: Set<string> }> = [];
  for (const c of candidates) {
    const t = truth.get(c.row.po_number);
    if (!t) ctx.orderDone(c.row.po_number, 'skipped', 'not found in DSCO');
    else if (t.status === 'shipped' || t.status === 'completed') await settleShippedInDsco(ctx, c, t, tally);
    else if (t.status === 'shipment_pending') pending.push({ ...c, dscoTracking: t.trackingNumbers });
    else ctx.orderDone(c.row.po_number, 'skipped', `DSCO status is ${t.status ?? 'unknown'}`);
  }
  const wms = await wmsRead;
  if (pending.length === 0) return;
  if ('error' in wms) {
    failOrders(ctx, pending.map((c) => c.row.po_number), 'WMS outbound read', wms.error);
    return;
  }

  const outgoing: Outgoing[] = [];
  for (const c of pending) {
    const ready = await planOrder(ctx, c, wms.records.get(c.row.po_number) ?? [], c.dscoTracking, tally);
    if (ready) outgoing.push(ready);
  }
  const items = outgoing.map((o): DscoOrderShipments => {
    facts.set(o.row.po_number, { covers: o.covers, known: o.known, ...(o.covers && o.facts && { shipFacts: o.facts }) });
    return { poNumber: o.row.po_number, shipments: o.plan.toSend };
  });
  const { ready, held } = await writes.admit(items);
  for (const h of held) ctx.orderDone(h.key, h.result, h.reason);
  const { sent, oversize } = await writes.enqueue(ready);
  for (const item of oversize) ctx.orderDone(item.poNumber, 'skipped', "the PO's shipments alone exceed DSCO's body limit");
  countSent(tally, sent);
}

/** Adds the shipments of `sent` writes to the run's figures. */
function countSent(tally: ShipTally, sent: readonly SentWrite<DscoOrderShipments>[]): void {
  for (const item of sent.flatMap((w) => w.items)) {
    tally.shipmentsSent += item.shipments.length;
    pushCapped(tally.trackingNumbers, item.shipments.map((x) => x.trackingNumber));
  }
}

/** DSCO already counts the order as shipped: record what it holds and move on, sending nothing. */
async function settleShippedInDsco(ctx: Ctx, c: Candidate, truth: DscoTruth, tally: ShipTally): Promise<void> {
  const tracking = joinTracking(c.row.shipped_tracking_no, truth.trackingNumbers);
  // No WMS read here, so no facts: invoice_to_dsco reads WMS. A row sent back to 3 by hand may
  // carry an earlier read's facts; DSCO's own record supersedes them.
  const patch = {
    ...(tracking !== (c.row.shipped_tracking_no ?? '') && { shipped_tracking_no: tracking }),
    ...(c.row.ship_facts !== null && { ship_facts: null }),
  };
  if (!(await ctx.store.orders.transition(c.row.po_number, 3, 4, patch))) {
    ctx.orderDone(c.row.po_number, 'skipped', 'status changed during the run');
    return;
  }
  tally.advanced++;
  ctx.orderDone(c.row.po_number, 'ok', undefined, { dsco_status: truth.status, tracking_numbers: splitTrackingList(tracking), sent: [] });
}

/**
 * Plans one pending order from its shipped WMS records; returns it when it has shipments to
 * send, otherwise settles it here (advance, record, or wait).
 */
async function planOrder(
  ctx: Ctx,
  c: Candidate,
  records: Parameters<typeof planShipments>[1],
  dscoTracking: Set<string>,
  tally: ShipTally,
): Promise<Outgoing | undefined> {
  const po = c.row.po_number;
  const alreadySent = new Set([...splitTracking(c.row.shipped_tracking_no), ...dscoTracking]);
  // Planned over every shipped package, so the facts kept for invoice_to_dsco list them all;
  // a package the row or DSCO already holds is then left out of what is sent.
  const all = planShipments(c.order, records, new Set(), ctx.mapping.dscoSkuOf, 'UTC', ctx.config.dsco.line_key, {
    toWarehouseCode: warehouseCodes(ctx),
  });
  const plan: ShipmentPlan = { ...all, toSend: all.toSend.filter((s) => !alreadySent.has(s.trackingNumber)) };
  const facts = shipFactsOf(all, all.toSend.map((s) => s.trackingNumber), ctx.config.dsco.line_key, ctx.now());
  pushCapped(tally.problems, plan.problems.map((p) => `${po}: ${p}`));

  const foreign = skusNotOrdered(c.order, plan, ctx.config.dsco.line_key);
  if (foreign.length > 0) {
    const reason = `WMS shipped sku not on the DSCO order: ${foreign.join(', ')}`;
    pushCapped(tally.problems, [`${po}: ${reason}`]);
    ctx.orderDone(po, 'skipped', reason);
    return undefined;
  }

  // Tracking numbers DSCO has but the DB lacks (a lost response, a crash after the 202).
  const known = joinTracking(c.row.shipped_tracking_no, dscoTracking);
  const whole = coversOrder(c.order, plan.shippedQty, ctx.config.dsco.line_key);
  // partial_shipments: false holds every package back until the whole PO has shipped.
  if (plan.toSend.length > 0 && (whole || ctx.job.partial_shipments)) return { ...c, plan, known, facts, covers: whole };

  const patch = known !== (c.row.shipped_tracking_no ?? '') ? { shipped_tracking_no: known } : undefined;
  const snapshot = { tracking_numbers: splitTrackingList(known), sent: [], shipped: Object.fromEntries(plan.shippedQty) };
  if (whole) {
    if (await ctx.store.orders.transition(po, 3, 4, { ...patch, ...(facts && { ship_facts: facts }) })) {
      tally.advanced++;
      ctx.orderDone(po, 'ok', undefined, snapshot);
    } else ctx.orderDone(po, 'skipped', 'status changed during the run');
    return undefined;
  }
  if (patch && !(await ctx.store.orders.patch(po, 3, patch))) {
    ctx.orderDone(po, 'skipped', 'status changed during the run');
    return undefined;
  }
  tally.waiting++;
  const reason = plan.shippedQty.size === 0 ? 'waiting for WMS shipment' : plan.toSend.length > 0 ? PARTLY_SHIPPED_HELD : 'partly shipped, waiting for the rest';
  // Nothing is wrong with a PO the warehouse has not finished shipping: it waits, it is not skipped.
  ctx.orderDone(po, 'waiting', reason, snapshot);
  return undefined;
}

/** DSCO skus the plan would ship that the order does not have (a mapping gap: DSCO would reject them). */
function skusNotOrdered(order: Candidate['order'], plan: ShipmentPlan, preference: LineKeyPreference): string[] {
  const ordered = orderedQty(order, preference);
  return [...plan.shippedQty.keys()].filter((sku) => !ordered.has(sku)).sort();
}

/**
 * Lingxing wid → DSCO warehouseCode for shipments, or nothing when mapping.warehouse is not
 * one-to-one (the shipment is then sent without a warehouseCode rather than a wrong one).
 */
function warehouseCodes(ctx: Ctx): ((wid: string) => string | undefined) | undefined {
  if (ctx.mapping.reverseConflicts().warehouse.length > 0) return undefined;
  return (wid) => ctx.mapping.warehouseCodeOf(wid);
}

/** Keeps a report list bounded however large the run (the orders' own log lines carry everything). */
function pushCapped(list: string[], items: readonly string[]): void {
  list.push(...items.slice(0, Math.max(0, DETAIL_LIST_MAX - list.length)));
}

function splitTrackingList(value: string): string[] {
  return [...splitTracking(value)];
}
