#!/usr/bin/env node
// The `dlsync` bin. It is committed rather than built so that `npm ci` can link it before
// dist/ exists (npm skips bins whose file is missing); it runs the build output.
import { existsSync } from 'node:fs';
import process from 'node:process';
import { URL } from 'node:url';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('dlsync is not built yet: run `npm run build` (or use `npm run dlsync -- <command>` from sources)\n');
  process.exit(1);
}
await import(main.href);
