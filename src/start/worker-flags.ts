/**
 * The V8 flags a cluster primary starts its workers with. Without them a worker's young
 * generation grows to V8's default ceiling (two 16 MB semi-spaces) on its first burst of
 * requests and keeps that memory for good; 8 MB halves it. Smaller still costs CPU: a trip list
 * page allocates enough that 4 MB semi-spaces scavenge it often, and the traveller list took
 * about a quarter more CPU per request (docs/OPERATIONS.md "Memory" has the figures).
 *
 * A flag the operator sets (NODE_OPTIONS, or node's own command line, which the workers
 * inherit) always wins: ours is then left out.
 */

/** Our flags, as node takes them on its command line. */
export const WORKER_V8_FLAGS: readonly string[] = ['--max-semi-space-size=8'];

/** `--max_semi_space_size=8` → `max-semi-space-size` (V8 takes `_` and `-` alike). */
function flagName(option: string): string {
  return option.replace(/^--?/, '').split('=')[0]!.replaceAll('_', '-');
}

/**
 * The `execArgv` of a worker: the primary's own (`execArgv`, e.g. `--import tsx`), then each of
 * `WORKER_V8_FLAGS` that neither it nor `nodeOptions` (NODE_OPTIONS) already sets.
 */
export function workerExecArgv(
  execArgv: readonly string[],
  nodeOptions: string | undefined,
): string[] {
  const set = new Set(
    [...execArgv, ...(nodeOptions ?? '').split(/\s+/)]
      .filter((option) => option.startsWith('-'))
      .map(flagName),
  );
  return [...execArgv, ...WORKER_V8_FLAGS.filter((flag) => !set.has(flagName(flag)))];
}
