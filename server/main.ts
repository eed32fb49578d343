/**
 * `npm run server`: starts Bullpen's server from flags and environment variables.
 * Prints `Bullpen server listening on <url>` once it accepts connections.
 */
import { startServer } from './app';
import { loadConfig } from './config';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`bullpen: ${(error as Error).message}\n`);
    process.exit(2);
  }
  const server = await startServer(config);
  process.stdout.write(`Bullpen server listening on ${server.url}\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`Bullpen server stopping (${signal})\n`);
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`bullpen: could not start: ${(error as Error).message}\n`);
  process.exit(1);
});
