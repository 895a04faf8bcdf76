/** Base class of every error this package throws on purpose. */
export class StoreError extends Error {
  override name = 'StoreError';
}

/**
 * A status transition the state machine forbids: backwards, sideways, out of range, or to
 * 6 (cancelled), which only `upsertPulled` applies. A programming error, never a race: a row
 * that moved meanwhile makes `transition` return false instead.
 */
export class InvalidTransitionError extends StoreError {
  override name = 'InvalidTransitionError';
  constructor(
    readonly from: number,
    readonly to: number,
    reason: string,
  ) {
    super(`invalid order status transition ${from} -> ${to}: ${reason}`);
  }
}

/** A patch with no field, or a field repositories do not let callers write. */
export class InvalidPatchError extends StoreError {
  override name = 'InvalidPatchError';
}

/** An admin search cursor that this package did not produce (or that was altered). */
export class InvalidCursorError extends StoreError {
  override name = 'InvalidCursorError';
  constructor() {
    super('invalid pagination cursor');
  }
}

/**
 * `runtimeConfig.save` lost a compare-and-set: the live version is not the one the caller
 * read. `actual` is the live version seen afterwards (null when the table is empty).
 */
export class RuntimeConfigConflictError extends StoreError {
  override name = 'RuntimeConfigConflictError';
  constructor(
    readonly expected: number | null,
    readonly actual: number | null,
  ) {
    super(
      `runtime_config changed meanwhile: expected version ${expected ?? '(none)'}, live version is ${actual ?? '(none)'}`,
    );
  }
}
