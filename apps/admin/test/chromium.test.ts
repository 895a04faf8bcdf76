import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertChromium, ChromiumMissingError } from './chromium.js';

describe('assertChromium', () => {
  it('fails with one line naming the path and how to install Chromium', () => {
    let error: unknown;
    try {
      assertChromium('/nonexistent/dlsync/chromium');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ChromiumMissingError);
    const { message, stack } = error as Error;
    expect(message).toBe('Chromium not found at /nonexistent/dlsync/chromium: install it with `apt-get install chromium` (or set CHROMIUM_PATH)');
    expect(stack).toBe(message);
    expect(message.split('\n')).toHaveLength(1);
  });

  it('refuses a file that is not executable, and a directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlsync-chromium-test-'));
    try {
      const file = join(dir, 'chromium');
      writeFileSync(file, '', { mode: 0o644 });
      expect(() => assertChromium(file)).toThrow(ChromiumMissingError);
      expect(() => assertChromium(dir)).toThrow(ChromiumMissingError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('returns an executable path as it is', () => {
    expect(assertChromium(process.execPath)).toBe(process.execPath);
  });
});
