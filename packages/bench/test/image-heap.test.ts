import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describeHeap, heapCapArgs, IMAGE_HEAP_CAP_MB } from '../src/image-heap.js';

describe('the heap the bench starts its fleet with', () => {
  it('is the cap the image sets for every dlsync process', () => {
    const dockerfile = readFileSync(fileURLToPath(new URL('../../../Dockerfile', import.meta.url)), 'utf8');
    expect(dockerfile).toMatch(new RegExp(`NODE_OPTIONS=--max-old-space-size=${IMAGE_HEAP_CAP_MB}\\b`));
  });

  it('is V8 default for 0', () => {
    expect(heapCapArgs(0)).toEqual([]);
    expect(heapCapArgs(256)).toEqual(['--max-old-space-size=256']);
    expect(describeHeap(0)).toBe("V8's default heap");
    expect(describeHeap(IMAGE_HEAP_CAP_MB)).toBe(`--max-old-space-size=${IMAGE_HEAP_CAP_MB} (the image's)`);
  });
});
