export type ProviderName = 'env' | 'testcontainers' | 'local';

/** Running Postgres + Redis, however they were obtained. */
export interface Infra {
  provider: ProviderName;
  /** Connection URL of a database the caller may create databases from. */
  databaseUrl: string;
  redisUrl: string;
  /** Stops what this call started; a no-op for the `env` provider. Idempotent. */
  stop(): Promise<void>;
  /** Restart Postgres keeping its data and port (local provider only; chaos tests). */
  restartPostgres?(): Promise<void>;
  /** Restart Redis on the same port, keeping its keys (local provider only; chaos tests). */
  restartRedis?(): Promise<void>;
}

/** Progress messages for humans (stderr of the demo, jest's infra host). */
export type InfraLog = (message: string) => void;

export class InfraUnavailableError extends Error {
  override name = 'InfraUnavailableError';
}
