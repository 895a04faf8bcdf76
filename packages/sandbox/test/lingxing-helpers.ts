import { createCipheriv, createHash } from 'node:crypto';
import type { Sandbox } from '../src/index.js';
import type { Violation } from '../src/world/recorder.js';

/**
 * Every Lingxing sandbox-backed test ends by asserting the sandbox recorded no contract
 * violation, so a client drifting from the references fails loudly. The list is emptied after
 * each check, so one drift fails one test rather than every later one.
 */
export function assertNoViolationsAfterEach(sandbox: () => Sandbox | undefined): void {
  afterEach(() => {
    const current = sandbox();
    if (!current) return;
    try {
      current.assertNoViolations();
    } finally {
      takeViolations(current);
    }
  });
}

/** The violations recorded so far, removed from the list (for tests that provoke one on purpose). */
export function takeViolations(sandbox: Sandbox): Violation[] {
  return sandbox.world.recorder.violations.splice(0);
}

/** Lingxing's sign of an already built canonical string: MD5 upper hex, AES-128-ECB under the appId, base64. */
export function signCanonical(canonical: string, appId: string): string {
  const md5 = createHash('md5').update(canonical, 'utf8').digest('hex').toUpperCase();
  const cipher = createCipheriv('aes-128-ecb', Buffer.from(appId, 'utf8'), null);
  return Buffer.concat([cipher.update(md5, 'utf8'), cipher.final()]).toString('base64');
}
