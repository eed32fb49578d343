/**
 * The real server as a child process (`server/main.ts`, as `npm run server` runs it), for tests
 * that need what only a separate process gives: being killed with SIGKILL and started again on
 * the same data directory. Collects stdout lines so a test can wait for a log line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LISTENING = /^Bullpen server listening on (\S+)$/;

/** One JSON log line of the server (see contract/log.ts). */
export interface LogEntry {
  t: string;
  level: string;
  msg: string;
  [field: string]: unknown;
}

export interface ServerProcess {
  readonly url: string;
  readonly pid: number;
  /** Every stdout line so far. */
  readonly lines: readonly string[];
  /** Resolves with the first log entry (already written or to come) matching `match`. */
  waitForLog(match: (entry: LogEntry) => boolean, what: string, timeoutMs?: number): Promise<LogEntry>;
  /** Sends `signal` (if the process still runs) and resolves once it has exited. */
  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface SpawnServerOptions {
  dataDir: string;
  /** Run on this PostgreSQL database instead of SQLite in `dataDir`. */
  databaseUrl?: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Cluster mode: join the cluster on this Redis, as this node. */
  redisUrl?: string;
  nodeId?: string;
  /** How long to wait for `Bullpen server listening on …` (default 20 s). */
  startTimeoutMs?: number;
  /** More command-line flags (cluster settings such as `--redis-url`, object storage settings, …). */
  args?: string[];
}

function parseLog(line: string): LogEntry | null {
  if (!line.startsWith('{')) return null;
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value === 'object' && value !== null && 'msg' in value && 'level' in value) return value as LogEntry;
  } catch {
    // Not a log line.
  }
  return null;
}

/**
 * Starts `server/main.ts` on a random loopback port. Runs node with tsx's loader in-process
 * (`node --import tsx`), not the `tsx` CLI: the CLI runs the server in a grandchild process, so
 * SIGKILL would kill only the wrapper and leave the real server running.
 */
export async function spawnServer(opts: SpawnServerOptions): Promise<ServerProcess> {
  const args = ['--import', 'tsx', 'server/main.ts', '--port', '0', '--host', '127.0.0.1'];
  args.push('--data-dir', opts.dataDir, '--log-level', opts.logLevel ?? 'info');
  if (opts.databaseUrl) args.push('--database-url', opts.databaseUrl);
  if (opts.args) args.push(...opts.args);
  if (opts.redisUrl) args.push('--redis-url', opts.redisUrl);
  if (opts.nodeId) args.push('--node-id', opts.nodeId);
  const child: ChildProcess = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const watchers = new Set<(line: string) => void>();
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr += chunk;
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    for (const watch of [...watchers]) watch(line);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
    child.once('exit', (code, signal) => done({ code, signal }));
  });
  const running = () => child.exitCode === null && child.signalCode === null;

  /** The first line, seen or to come, for which `pick` returns a value. */
  function waitForLine<T>(pick: (line: string) => T | null, what: string, timeoutMs: number): Promise<T> {
    for (const line of lines) {
      const value = pick(line);
      if (value !== null) return Promise.resolve(value);
    }
    return new Promise<T>((resolveLine, reject) => {
      const finish = (): void => {
        clearTimeout(timer);
        watchers.delete(watch);
      };
      const watch = (line: string): void => {
        const value = pick(line);
        if (value === null) return;
        finish();
        resolveLine(value);
      };
      // A bound on a failing test, not a wait for the server.
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; stdout:\n${lines.join('\n')}\nstderr:\n${stderr}`));
      }, timeoutMs);
      watchers.add(watch);
      void exited.then(({ code, signal }) => {
        if (!watchers.has(watch)) return;
        finish();
        reject(new Error(`server exited (${signal ?? code}) before ${what}; stdout:\n${lines.join('\n')}\nstderr:\n${stderr}`));
      });
    });
  }

  const kill = async (signal: NodeJS.Signals) => {
    if (running()) child.kill(signal);
    return exited;
  };

  let url: string;
  try {
    url = await waitForLine((line) => LISTENING.exec(line)?.[1] ?? null, 'the server to listen', opts.startTimeoutMs ?? 20_000);
  } catch (error) {
    await kill('SIGKILL');
    throw error;
  }
  return {
    url,
    pid: child.pid!,
    lines,
    waitForLog: (match, what, timeoutMs = 10_000) =>
      waitForLine((line) => {
        const entry = parseLog(line);
        return entry && match(entry) ? entry : null;
      }, what, timeoutMs),
    kill,
  };
}
