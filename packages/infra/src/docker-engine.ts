import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';

type Endpoint = { socketPath: string } | { host: string; port: number; tls: boolean };

/**
 * Where a Docker engine could be, in the order testcontainers looks: `DOCKER_HOST` alone when set
 * (as the docker CLI does), else the rootful socket and the usual rootless/Desktop sockets.
 */
export function dockerEndpoints(env: NodeJS.ProcessEnv = process.env): Endpoint[] {
  const dockerHost = env.DOCKER_HOST;
  if (dockerHost) {
    const url = new URL(dockerHost);
    if (url.protocol === 'unix:') return [{ socketPath: url.pathname }];
    if (url.protocol === 'tcp:' || url.protocol === 'http:' || url.protocol === 'https:') {
      const tls = url.protocol === 'https:' || env.DOCKER_TLS_VERIFY === '1';
      return [{ host: url.hostname, port: Number(url.port || (tls ? 2376 : 2375)), tls }];
    }
    return [];
  }
  const candidates = [
    '/var/run/docker.sock',
    env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, 'docker.sock') : undefined,
    join(homedir(), '.docker', 'run', 'docker.sock'),
    join(homedir(), '.docker', 'desktop', 'docker.sock'),
    join('/run/user', String(userInfo().uid), 'docker.sock'),
  ];
  return [...new Set(candidates)]
    .filter((p): p is string => p !== undefined && existsSync(p))
    .map((socketPath) => ({ socketPath }));
}

/** A TLS endpoint only gets a TCP connect: talking TLS to it is testcontainers' job. */
function tcpConnects(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

function ping(endpoint: Endpoint, timeoutMs: number): Promise<boolean> {
  if ('tls' in endpoint && endpoint.tls) return tcpConnects(endpoint.host, endpoint.port, timeoutMs);
  const target = 'socketPath' in endpoint ? { socketPath: endpoint.socketPath } : { host: endpoint.host, port: endpoint.port };
  return new Promise((resolve) => {
    const req = request({ ...target, path: '/_ping', method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.once('error', () => resolve(false));
    req.once('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

/**
 * True when a Docker engine answers on one of `dockerEndpoints(env)`. Cheap and silent: no
 * socket → no request; a dead socket refuses at once; a hung one costs at most `timeoutMs`.
 */
export async function dockerEngineAnswers(env: NodeJS.ProcessEnv = process.env, timeoutMs = 750): Promise<boolean> {
  for (const endpoint of dockerEndpoints(env)) {
    if (await ping(endpoint, timeoutMs)) return true;
  }
  return false;
}
