/**
 * How long DSCO has lately taken to apply a write of each kind, as this process's reads saw it.
 * A read of a request DSCO is still PROCESSING settles nothing and costs a call on the change log
 * every verdict waits on, so a fresh write is first read once it is about as old as the last one
 * was when DSCO completed it. Learnt from the reads themselves: DSCO states no apply time, and it
 * differs per kind (an acknowledgement may apply at once, a shipment not).
 */
export interface ApplyTimes {
  /** A read of write `writeId` of `kind`, sent at `sentAt`, found the request PROCESSING or COMPLETED. */
  observe(kind: string, writeId: number, sentAt: Date, completed: boolean): void;
  /** How much longer to wait before the first read of a write of `kind` sent at `sentAt`, in ms. */
  waitBeforeFirstRead(kind: string, sentAt: Date): number;
}

export interface ApplyTimesOptions {
  /** The longest a write waits for its first read, in ms, however slow DSCO was lately. (Default: 1000) */
  capMs?: number;
  /** Writes still PROCESSING that it remembers, oldest forgotten first. (Default: 1000) */
  maxTracked?: number;
  /** Wall clock in ms, the one `sent_at` is written by. (Default: Date.now) */
  now?: () => number;
}

/**
 * A kind's estimate, and whether a read that found DSCO still PROCESSING a write pins it from
 * below. Without such a read an estimate is only an upper bound (the write may have been done
 * long before it was read), and reading every next write at that bound would never learn less.
 */
interface Estimate {
  ms: number;
  anchored: boolean;
}

/**
 * Each kind's estimate is the apply time its latest completed write showed: halfway between the
 * last read that found it PROCESSING and the one that found it COMPLETED (anchored), or,
 * completed at its first read, no more than that read's age: an anchored estimate DSCO keeps
 * meeting stays and one it beats comes down; an unanchored one is halved, so the next write is
 * read earlier until a PROCESSING read pins it (a first read that came late — queued behind
 * other reads, or in a slow spell — is not taken for DSCO's pace). Capped, so one slow spell
 * delays the next first read by at most `capMs`; a midpoint past the cap pins nothing. An
 * estimate only moves when reads come: correctness never depends on it, only the calls spent.
 */
export function makeApplyTimes({ capMs = 1000, maxTracked = 1000, now = Date.now }: ApplyTimesOptions = {}): ApplyTimes {
  const estimate = new Map<string, Estimate>();
  /** Per write still PROCESSING: the age of its latest read that found it so. */
  const stillProcessing = new Map<number, number>();
  const ageOf = (sentAt: Date): number => Math.max(0, now() - sentAt.getTime());
  return {
    observe(kind, writeId, sentAt, completed) {
      const age = ageOf(sentAt);
      if (!completed) {
        stillProcessing.delete(writeId);
        stillProcessing.set(writeId, age);
        if (stillProcessing.size > maxTracked) stillProcessing.delete(stillProcessing.keys().next().value as number);
        return;
      }
      const processingAt = stillProcessing.get(writeId);
      stillProcessing.delete(writeId);
      if (processingAt !== undefined) {
        const seen = (processingAt + age) / 2;
        estimate.set(kind, { ms: Math.min(capMs, seen), anchored: seen <= capMs });
        return;
      }
      const before = estimate.get(kind);
      const upper = Math.min(before?.ms ?? age, age);
      estimate.set(kind, before?.anchored ? { ms: Math.min(capMs, upper), anchored: true } : { ms: Math.min(capMs, upper / 2), anchored: false });
    },
    waitBeforeFirstRead: (kind, sentAt) => Math.max(0, (estimate.get(kind)?.ms ?? 0) - ageOf(sentAt)),
  };
}

/** The worker process's estimates, shared by every run of every task in it. */
export const processApplyTimes: ApplyTimes = makeApplyTimes();
