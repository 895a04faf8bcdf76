import { connect } from 'node:net';

/**
 * Sends one command over a raw RESP connection and resolves with the first reply line ('' when
 * the server closes without replying, as SHUTDOWN does). Enough for PING and SHUTDOWN without a
 * client library whose reconnect logic would get in the way while a server starts or stops.
 */
export function redisCommand(port: number, args: readonly string[], timeoutMs = 1_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, timeout: timeoutMs });
    let reply = '';
    const finish = (err?: Error) => {
      socket.destroy();
      if (err) reject(err);
      else resolve(reply.split('\r\n')[0] ?? '');
    };
    socket.setEncoding('utf8');
    socket.once('connect', () => {
      socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
    });
    socket.on('data', (chunk: string) => {
      reply += chunk;
      if (reply.includes('\r\n')) finish();
    });
    socket.once('end', () => finish());
    socket.once('error', (err) => finish(err));
    socket.once('timeout', () => finish(new Error(`redis on port ${port} did not answer ${args[0]} in ${timeoutMs} ms`)));
  });
}
