/**
 * The environment a launcher gives a Bullpen server process (scripts/start.ts, scripts/cluster.ts,
 * the benchmarks). It has to come from whoever starts the process: glibc reads its malloc
 * settings once, before any JavaScript runs.
 *
 * `MALLOC_ARENA_MAX=2`: libdatachannel's threads (ICE, DTLS, the UDP mux) and Node's own each
 * get a glibc malloc arena of their own by default (up to 8 per core), and memory freed in one
 * arena is not reused by another, so a node's native memory creeps. Measured with
 * `npm run bench:soak` (2 nodes, 20 calls × 10 listeners, 10 min): RSS grew 1.0 / 1.3 % over the
 * last 5 minutes without it and 0.67 / −0.12 % with it, at 5–13 MiB less RSS per node and no CPU
 * cost seen. A value already in the environment wins.
 */
export function serverProcessEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { MALLOC_ARENA_MAX: '2', ...env };
}
