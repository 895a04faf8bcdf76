import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { assertConfigFor, envConfigSchema, loadEnvConfig } from '@dlsync/config';

const EXAMPLE = fileURLToPath(new URL('../../../env.example.yaml', import.meta.url));

/** Every key path of the schema, down to leaves (records such as auth.admin.users are leaves). */
function keyPaths(schema: z.ZodType, prefix = ''): string[] {
  let inner: z.ZodType = schema;
  while (inner instanceof z.ZodDefault || inner instanceof z.ZodOptional) inner = inner.unwrap() as z.ZodType;
  if (!(inner instanceof z.ZodObject)) return [prefix];
  return Object.entries(inner.shape as Record<string, z.ZodType>).flatMap(([key, child]) =>
    keyPaths(child, prefix ? `${prefix}.${key}` : key),
  );
}

function has(doc: unknown, path: string): boolean {
  let node = doc;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object' || !(key in node)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return true;
}

/** The example with its commented-out optional keys (`# key: value`) switched on. */
const withOptionalKeys = (text: string) => text.replace(/^(\s*)# ([a-z_]+: )/gm, '$1$2');

describe('env.example.yaml', () => {
  const text = readFileSync(EXAMPLE, 'utf8');
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dlsync-example-test-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads as it is, with everything every process needs', () => {
    const config = loadEnvConfig({ path: EXAMPLE, env: {} });
    expect(() => assertConfigFor(config, ['postgres', 'redis', 'dsco', 'lingxing', 'admin'])).not.toThrow();
  });

  it('documents every key of the schema, commented-out optional keys included, and they load too', () => {
    const path = join(dir, 'all-keys.yaml');
    writeFileSync(path, withOptionalKeys(text));
    expect(() => loadEnvConfig({ path, env: {} })).not.toThrow();
    const doc: unknown = parse(readFileSync(path, 'utf8'));
    const undocumented = keyPaths(envConfigSchema).filter((p) => !has(doc, p));
    expect(undocumented).toEqual([]);
  });
});
