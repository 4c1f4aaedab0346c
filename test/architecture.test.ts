/**
 * The layout rules of docs/ARCHITECTURE.md, checked on the source tree so that they stay true:
 * where SQL may be written, which folders may import which, no import cycles, small files and
 * folders. Reads the files as text; runs nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const SRC = path.join(ROOT, 'src');
const MODULES = path.join(SRC, 'modules');

/**
 * Most imports one feature module may make of others (issue 10: down from 54 to 25; issue 12's
 * UpdateCoupon service, a booking write, reads the principal and its user like the other writes;
 * the pre-2017 request-token exchange reads the user its code names, as the v0 code grant does;
 * issue 14's web app reaches accounts and itineraries through its one module-ports.ts;
 * issue 15's bulk import acts as an app of accounts through the services of itineraries).
 */
const MAX_CROSS_MODULE_IMPORTS = 31;
const MAX_FILES_PER_FOLDER = 15;
const MAX_LINES = 300;

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

const sources = filesUnder(SRC).filter((file) => file.endsWith('.ts'));
const production = sources.filter((file) => !file.endsWith('.test.ts'));

/** The files a source file imports (relative imports only), resolved to their .ts paths. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s+'(\.[^']+)'/g)) {
    found.push(path.resolve(path.dirname(file), (match[1] as string).replace(/\.js$/, '.ts')));
  }
  for (const match of text.matchAll(/(?:^|\n)\s*import\s+'(\.[^']+)'/g)) {
    found.push(path.resolve(path.dirname(file), (match[1] as string).replace(/\.js$/, '.ts')));
  }
  return found;
}

const graph = new Map(production.map((file) => [file, importsOf(file)]));
const relative = (file: string) => path.relative(ROOT, file);

/** The feature module a file belongs to, if any (`src/modules/<module>/…`). */
function moduleOf(file: string): string | undefined {
  if (!file.startsWith(MODULES + path.sep)) return undefined;
  return path.relative(MODULES, file).split(path.sep)[0];
}

describe('the source layout', () => {
  it('keeps SQL in repositories and src/db', () => {
    const writers = production.filter((file) => {
      const text = fs.readFileSync(file, 'utf8');
      return /\.(selectFrom|insertInto|updateTable|deleteFrom|executeQuery)\(/.test(text);
    });
    const outside = writers.filter(
      (file) => !file.endsWith('.repository.ts') && !file.startsWith(path.join(SRC, 'db')),
    );
    expect(outside.map(relative)).toEqual([]);
  });

  it('keeps src/http, src/db, src/xml and src/domain free of feature modules', () => {
    const crossCutting = ['http', 'db', 'xml', 'domain', 'security', 'observability'].map((dir) =>
      path.join(SRC, dir),
    );
    const offenders = [...graph].flatMap(([file, imports]) =>
      crossCutting.some((dir) => file.startsWith(dir + path.sep))
        ? imports.filter((target) => moduleOf(target) !== undefined).map(relative)
        : [],
    );
    expect(offenders).toEqual([]);
  });

  it('lets feature modules reach each other only through their index.ts, and seldom', () => {
    const crossings: string[] = [];
    const bypassing: string[] = [];
    for (const [file, imports] of graph) {
      const from = moduleOf(file);
      if (from === undefined) continue;
      for (const target of imports) {
        const to = moduleOf(target);
        if (to === undefined || to === from) continue;
        crossings.push(`${relative(file)} -> ${relative(target)}`);
        if (target !== path.join(MODULES, to, 'index.ts')) bypassing.push(crossings.at(-1) ?? '');
      }
    }
    expect(bypassing).toEqual([]);
    expect(crossings.length).toBeLessThanOrEqual(MAX_CROSS_MODULE_IMPORTS);
  });

  it('has no import cycles', () => {
    // Tarjan's strongly connected components over the import graph.
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const cycles: string[][] = [];
    let counter = 0;
    const visit = (file: string) => {
      index.set(file, counter);
      low.set(file, counter);
      counter++;
      stack.push(file);
      onStack.add(file);
      for (const target of graph.get(file) ?? []) {
        if (!graph.has(target)) continue;
        if (!index.has(target)) {
          visit(target);
          low.set(file, Math.min(low.get(file) as number, low.get(target) as number));
        } else if (onStack.has(target)) {
          low.set(file, Math.min(low.get(file) as number, index.get(target) as number));
        }
      }
      if (low.get(file) === index.get(file)) {
        const component: string[] = [];
        let member: string | undefined;
        do {
          member = stack.pop() as string;
          onStack.delete(member);
          component.push(relative(member));
        } while (member !== file);
        if (component.length > 1) cycles.push(component);
      }
    };
    for (const file of graph.keys()) if (!index.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });

  it(`holds at most ${MAX_FILES_PER_FOLDER} files per source folder`, () => {
    const counts = new Map<string, number>();
    for (const file of filesUnder(SRC)) {
      const dir = relative(path.dirname(file));
      counts.set(dir, (counts.get(dir) ?? 0) + 1);
    }
    const crowded = [...counts].filter(([, count]) => count > MAX_FILES_PER_FOLDER);
    expect(crowded).toEqual([]);
  });

  it(`has no hand-written source file over ${MAX_LINES} lines`, () => {
    const long = sources
      .filter((file) => !file.endsWith('.generated.ts'))
      .map((file) => [relative(file), fs.readFileSync(file, 'utf8').split('\n').length - 1])
      .filter(([, lines]) => (lines as number) > MAX_LINES);
    expect(long).toEqual([]);
  });
});
