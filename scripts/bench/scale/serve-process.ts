/**
 * Itinera as an operator runs it, for the scale benchmark: `node dist/cli.js serve` (the cluster
 * primary and its workers), rate limits set out of reach as `npm run bench` does, on 127.0.0.1.
 * Memory is read from /proc for the whole process tree (primary + every worker), so nothing in
 * the server has to report it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '../free-port.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const GIVE_UP_MS = 120_000;

export interface ServeProcess {
  readonly pid: number;
  readonly url: string;
  /** Milliseconds from the spawn to the first 200 from /readyz. */
  readonly readyMs: number;
  /** Stops the server (SIGTERM, SIGKILL after 10 s). */
  stop(): Promise<void>;
}

export interface ServeOptions {
  databaseUrl: string;
  /** WORKERS; undefined: the default (one per CPU), as `npm start`. */
  workers?: number;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts `node dist/cli.js serve` and resolves once /readyz answers 200. */
export async function startServe(options: ServeOptions): Promise<ServeProcess> {
  const port = await freePort();
  const started = performance.now();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: options.databaseUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    // The default (full) unless BENCH_SYNCHRONOUS names another (docs/OPERATIONS.md).
    SQLITE_SYNCHRONOUS: process.env.BENCH_SYNCHRONOUS ?? 'full',
    // Out of reach of one tenant's load: their cost is measured, no request is refused.
    RATE_LIMIT_PER_MINUTE: '1000000000',
    RATE_LIMIT_PER_HOUR: '1000000000',
  };
  if (options.workers === undefined) delete env.WORKERS;
  else env.WORKERS = String(options.workers);
  const child = spawn(process.execPath, ['dist/cli.js', 'serve'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.kill('SIGTERM');
    await exited(child);
    clearTimeout(timer);
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}`);
      if (performance.now() - started > GIVE_UP_MS) throw new Error('serve not ready in 120 s');
      try {
        const response = await fetch(`${url}/readyz`);
        await response.arrayBuffer();
        if (response.status === 200) break;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { pid: child.pid as number, url, readyMs: performance.now() - started, stop };
}

/** Resident memory of a process tree, from /proc (Linux): VmRSS, its anonymous part and PSS. */
export interface TreeRss {
  /** Bytes, summed over the root and all its descendants. */
  rss: number;
  /** RssAnon: heap and stacks, without the mapped files (SQLite's mmap, code). */
  anon: number;
  /**
   * Pss (smaps_rollup): each page divided by the number of processes mapping it. RSS counts
   * node's own code (~45 MB, shared by every process) once per process; PSS counts it once
   * over them all, which is what the processes cost the machine. 0 where smaps_rollup cannot
   * be read (kernels before 4.14).
   */
  pss: number;
  processes: number;
}

function statusField(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

/** `rootPid` and every process descended from it (Linux /proc). */
function processTree(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: the fields follow the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // the process ended meanwhile
    }
  }
  const pids: number[] = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.pop() as number;
    pids.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return pids;
}

/** Pss of one process, bytes; 0 if smaps_rollup cannot be read. */
function processPss(pid: number): number {
  try {
    return statusField(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'), 'Pss');
  } catch {
    // the process ended meanwhile, or the kernel has no smaps_rollup
    return 0;
  }
}

/** Sums VmRSS, RssAnon and Pss over `rootPid` and every process descended from it. */
export function treeRss(rootPid: number): TreeRss {
  const total: TreeRss = { rss: 0, anon: 0, pss: 0, processes: 0 };
  for (const pid of processTree(rootPid)) {
    try {
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      total.rss += statusField(status, 'VmRSS');
      total.anon += statusField(status, 'RssAnon');
      total.pss += processPss(pid);
      total.processes++;
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux). */
const TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system, ms) used so far by `rootPid` and its descendants: on a shared machine
 * the CPU each request costs is steadier than req/s, which other processes' load drags down.
 */
export function treeCpuMs(rootPid: number): number {
  let ticks = 0;
  for (const pid of processTree(rootPid)) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime and stime: fields 14 and 15 of stat, 12 and 13 after the command name.
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended meanwhile
    }
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}
