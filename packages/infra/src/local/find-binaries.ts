import { accessSync, constants, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Debian/Ubuntu keep server binaries off PATH, one directory per major version. */
const DEBIAN_POSTGRES_ROOT = '/usr/lib/postgresql';

export interface LocalBinaries {
  initdb: string;
  pgCtl: string;
  redisServer: string;
}

/** `$PATH` entries, then `/usr/lib/postgresql/<major>/bin` newest major first. */
export function defaultSearchPath(env: NodeJS.ProcessEnv = process.env): string[] {
  const fromPath = (env.PATH ?? '').split(delimiter).filter(Boolean);
  let versions: string[] = [];
  try {
    versions = readdirSync(DEBIAN_POSTGRES_ROOT).filter((v) => /^\d+(\.\d+)?$/.test(v));
  } catch {
    // No Debian-style install; PATH is all there is.
  }
  versions.sort((a, b) => Number(b) - Number(a));
  return [...fromPath, ...versions.map((v) => join(DEBIAN_POSTGRES_ROOT, v, 'bin'))];
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** First directory holding every one of `names`: initdb and pg_ctl must be the same installation. */
function dirWith(searchPath: readonly string[], names: readonly string[]): string | undefined {
  return searchPath.find((dir) => names.every((name) => isExecutable(join(dir, name))));
}

/** The binaries the local provider needs, or the names it could not find. */
export function findLocalBinaries(
  searchPath: readonly string[],
): { found: LocalBinaries } | { missing: string[] } {
  const pgDir = dirWith(searchPath, ['initdb', 'pg_ctl']);
  const redisDir = dirWith(searchPath, ['redis-server']);
  if (!pgDir || !redisDir) {
    return { missing: [...(pgDir ? [] : ['initdb/pg_ctl']), ...(redisDir ? [] : ['redis-server'])] };
  }
  return {
    found: { initdb: join(pgDir, 'initdb'), pgCtl: join(pgDir, 'pg_ctl'), redisServer: join(redisDir, 'redis-server') },
  };
}
