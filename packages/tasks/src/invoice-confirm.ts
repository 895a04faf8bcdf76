import type { DscoClient, DscoInvoiceRecord } from '@dlsync/dsco';
import { sleep } from '@dlsync/remote';

export interface ConfirmInvoiceOptions {
  /** Reads of `GET /invoice` before giving up. (Default: 10) */
  attempts?: number;
  /** Wait before the first read; doubles per read. (Default: 250) */
  firstDelayMs?: number;
  /** Longest wait between reads. (Default: 5000) */
  maxDelayMs?: number;
  signal?: AbortSignal;
}

/** DSCO's invoice of `po` (the one dlsync sent, invoiceId = poNumber, preferred), if any. */
export async function findInvoice(dsco: DscoClient, po: string, signal?: AbortSignal): Promise<DscoInvoiceRecord | undefined> {
  const invoices = await dsco.getInvoicesByPo(po, { ...(signal && { signal }) });
  return invoices.find((i) => i.invoiceId === po) ?? invoices[0];
}

/**
 * Waits for an invoice sent to DSCO to show up: invoices are processed asynchronously and only
 * listed once complete. Bounded backoff, so a manual run answers in well under a minute.
 */
export async function confirmInvoice(dsco: DscoClient, po: string, options: ConfirmInvoiceOptions = {}): Promise<DscoInvoiceRecord | undefined> {
  const { attempts = 10, firstDelayMs = 250, maxDelayMs = 5_000, signal } = options;
  let delay = firstDelayMs;
  for (let attempt = 0; attempt < attempts; attempt++) {
    await sleep(delay, signal);
    const found = await findInvoice(dsco, po, signal);
    if (found) return found;
    delay = Math.min(maxDelayMs, delay * 2);
  }
  return undefined;
}
