/**
 * A process that starts a media worker pool and reports its workers' pids, then waits to be
 * killed: the orphan test kills it with SIGKILL and checks its workers exit on their own.
 * Run: `node --import tsx tests/helpers/media-pool-process.ts` forked with an IPC channel.
 */
import { createLogger } from '../../server/logger';
import { MediaWorkerPool } from '../../server/media/media-worker-pool';

const pool = await MediaWorkerPool.start({ processes: 3, log: createLogger({ level: 'silent' }), init: { logLevel: 'silent', iceServers: [] } });
process.send!({ pids: pool.pids() });
// Kept alive by the IPC channel until killed.
