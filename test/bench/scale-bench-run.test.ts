/**
 * The README's quick scale run (`BENCH_SCALE=2000 … npm run bench`, README "Scale mode"), on this
 * run's dialect: it imports, serves, measures every scenario beside the bare server and prints
 * the table. Targets may be missed on a tiny run and a loaded machine; what must hold is that
 * every scenario ran, with no error or non-2xx answer (a `FAIL (…)` cell), and the run exited 0.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testDialect } from '../helpers/test-app.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'itinera-scale-test-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const SCENARIOS = [
  'details GET',
  'v4 details GET',
  'traveller list 200, 10 conn',
  'company list 200, 10 conn',
  'company list 200, new window each request',
  'booking POST (merge)',
  'trip POST, one traveller',
  'trip POST, many travellers',
  'import (itinera import)',
  'RSS, all server processes',
  'cold start, 1 worker, existing DB',
];

function runBench(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', 'bench'], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('npm run bench, scale mode (the README quick form)', () => {
  it('measures every scenario at 2,000 trips without an error answer', async () => {
    const dialect = testDialect();
    const { code, output } = await runBench({
      BENCH_SCALE: '2000',
      BENCH_DURATION: '1',
      BENCH_WARMUP: '1',
      BENCH_STARTS: '1',
      BENCH_DATA_DIR: dataDir,
      BENCH_DIALECT: dialect,
    });
    expect(code, output).toBe(0);
    expect(output).toContain(`Scale benchmark, ${dialect}`);
    const table = output.slice(output.indexOf(`Scale benchmark, ${dialect}`));
    for (const scenario of SCENARIOS) {
      const row = table.split('\n').find((line) => line.startsWith(`| ${scenario} `));
      expect(row, `${scenario} in\n${table}`).toBeDefined();
      expect(row).not.toContain('FAIL (');
    }
    expect(table).toMatch(/2,000 trips stored|2k: 2,000/);
    // Beside the summed RSS (the target's figure), the summed PSS of the same processes: less,
    // since node's own code is shared by every process but counted in each one's RSS.
    const memory = table
      .split('\n')
      .find((line) => line.startsWith('| RSS, all server processes '));
    const figures =
      /\| ([\d,]+) MB peak \(\d+ processes; anonymous [\d,]+ MB; PSS ([\d,]+) MB\)/.exec(
        memory ?? '',
      );
    expect(figures, memory).not.toBeNull();
    const [rssMb, pssMb] = [figures?.[1], figures?.[2]].map((n) => Number(n?.replaceAll(',', '')));
    expect(pssMb).toBeGreaterThan(0);
    expect(pssMb).toBeLessThan(rssMb as number);
    // The list queries' plans, each with at least one step, and on SQLite on the window indexes.
    for (const title of [
      'traveller page',
      'company-wide page',
      'company-wide count (TotalItems), from the day counts',
      'company-wide count, walking the window (a filter the day counts cannot answer)',
    ]) {
      expect(output).toMatch(new RegExp(`plan, ${title.replace(/[()]/g, '\\$&')}:\\n {4}\\S`));
    }
    if (dialect === 'sqlite') {
      expect(output).toContain('USING INDEX trips_owner_start_idx');
      expect(output).toContain('USING INDEX trips_company_start_idx');
      expect(output).toContain('SEARCH trip_day_counts USING PRIMARY KEY');
    }
  }, 600_000);
});
