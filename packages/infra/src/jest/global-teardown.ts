/** Closes the infra host's stdin; it drops the template database and stops what it started. */
export default async function globalTeardown(): Promise<void> {
  const child = globalThis.__dlsyncInfraHost;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stdin?.end();
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}
