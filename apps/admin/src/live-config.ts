import { ConfigError, defaultRuntimeConfig, parseRuntimeConfig, type ConfigProblem, type RuntimeConfig } from '@dlsync/config';
import type { Store } from '@dlsync/store';

export interface LiveConfig {
  /** null when none was ever saved (the defaults are live). */
  version: number | null;
  /** The stored document with defaults filled in (the raw document when it fails validation). */
  config: RuntimeConfig | unknown;
  updatedBy: string | null;
  updatedAt: string | null;
  /** Why the stored document is invalid; runs refuse to start until it is fixed. */
  problems?: ConfigProblem[];
}

export async function readLiveConfig(store: Store): Promise<LiveConfig> {
  const latest = await store.runtimeConfig.latest();
  if (!latest) return { version: null, config: defaultRuntimeConfig(), updatedBy: null, updatedAt: null };
  const base = {
    version: latest.version,
    updatedBy: latest.updated_by,
    updatedAt: new Date(latest.updated_at).toISOString(),
  };
  try {
    return { ...base, config: parseRuntimeConfig(latest.config, `runtime_config v${latest.version}`) };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return { ...base, config: latest.config, problems: err.problems };
  }
}
