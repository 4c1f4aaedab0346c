/**
 * Top self-time functions of a V8 `.cpuprofile`, for the report (BENCH_PROFILE=1).
 */
import fs from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  ms: number;
  percent: number;
}

/** Self time per function (name and file:line), largest first. */
export function topSelfTime(file: string, limit = 15): SelfTime[] {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const labelOf = new Map<number, string>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? ` ${shortUrl(url)}:${lineNumber + 1}` : '';
    labelOf.set(node.id, `${functionName || '(anonymous)'}${where}`);
  }
  const microseconds = new Map<string, number>();
  let total = 0;
  // Each sample's time is the delta to the next sample (V8's own convention).
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index + 1] ?? 0;
    const label = labelOf.get(id) ?? '?';
    microseconds.set(label, (microseconds.get(label) ?? 0) + delta);
    total += delta;
  });
  return [...microseconds.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, us]) => ({ name, ms: us / 1000, percent: (100 * us) / (total || 1) }));
}

function shortUrl(url: string): string {
  const file = url.replace(/^file:\/\//, '');
  const nodeModules = file.lastIndexOf('node_modules/');
  if (nodeModules >= 0) return file.slice(nodeModules + 'node_modules/'.length);
  return path.relative(process.cwd(), file);
}
