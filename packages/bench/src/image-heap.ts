/**
 * The old-space cap the image gives every dlsync process (`NODE_OPTIONS` in the Dockerfile; a
 * test keeps the two equal). The bench starts its fleet with it by default, so its CPU and RSS
 * figures are those of the fleet as deployed; `--heap-mb 0` measures V8's own default instead,
 * under which the heap grows lazily with a long run's garbage.
 */
export const IMAGE_HEAP_CAP_MB = 1024;

/** Node flags for an old-space cap of `mb` MiB; none for 0 (V8's default). */
export function heapCapArgs(mb: number): string[] {
  return mb === 0 ? [] : [`--max-old-space-size=${mb}`];
}

/** How a run's heap is described in the printout. */
export function describeHeap(mb: number): string {
  return mb === 0 ? "V8's default heap" : `--max-old-space-size=${mb}${mb === IMAGE_HEAP_CAP_MB ? " (the image's)" : ''}`;
}
