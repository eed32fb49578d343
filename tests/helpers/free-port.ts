/**
 * Free loopback ports for the real servers tests and dev scripts start (redis-server, coturn,
 * s3rver, nodes). A port is free when the OS hands it out; it is released at once, so another
 * process could take it first, which on a test machine does not happen in practice.
 */
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

/** A TCP port free on 127.0.0.1 now. */
export function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A UDP port free on 127.0.0.1 now. */
export function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

/** A port free for both TCP and UDP on 127.0.0.1 now (coturn listens on both). */
export async function freeTcpAndUdpPort(): Promise<number> {
  for (let tries = 0; ; tries++) {
    const port = await freeTcpPort();
    const udp = createSocket('udp4');
    const free = await new Promise<boolean>((resolve) => {
      udp.once('error', () => resolve(false));
      udp.bind(port, '127.0.0.1', () => resolve(true));
    });
    udp.close();
    if (free || tries > 20) return port;
  }
}
