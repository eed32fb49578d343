/**
 * A bare socket.io server (no Bullpen code: no auth, no calls, no boards), in its own process,
 * for the board-burst figure's floor: the event-loop stall that socket.io and ws themselves cost
 * when the same number of sockets close at once on this machine. Forked by bench/run.ts: after
 * `stall-reset`, once every socket has closed (plus half a second) it sends `{ type: 'burst',
 * loopDelayMaxMs }`; `stop` ends it.
 */
import { createServer } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Server } from 'socket.io';
import type { ProbeRequest } from './server-probe';

if (!process.send) throw new Error('Run through bench/run.ts');
const send = (msg: unknown) => process.send!(msg);

const http = createServer();
// The options Bullpen's socket server uses (server/realtime/socket-server.ts).
const io = new Server(http, { maxHttpBufferSize: 64 * 1024, serveClient: false });
let connected = 0;
io.on('connection', (socket) => {
  connected++;
  // As many rooms as a Bullpen listener's socket: team, user, session, call.
  void socket.join(['team', `user:${socket.id}`, `session:${socket.id}`, 'call']);
  socket.on('disconnect', () => {
    if (--connected > 0) return;
    setTimeout(() => {
      loopDelay.disable();
      send({ type: 'burst', loopDelayMaxMs: loopDelay.max / 1e6 });
    }, 500);
  });
});
const loopDelay = monitorEventLoopDelay({ resolution: 1 });

http.listen(0, '127.0.0.1', () => {
  const address = http.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  send({ type: 'ready', url: `http://127.0.0.1:${address.port}` });
});

process.on('message', (raw) => {
  const msg = raw as ProbeRequest;
  switch (msg.type) {
    case 'stall-reset':
      loopDelay.reset();
      loopDelay.enable();
      send({ type: 'stall-reset' });
      break;
    case 'stop':
      void io.close(() => process.exit(0));
      break;
    default:
      break;
  }
});
