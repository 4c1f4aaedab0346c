/**
 * The README's "Notifications" block, run as written against a listening app seeded with the
 * demo seed file: the admin subscribes the demo app and lists its notifications.
 */

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedDatabase, validateSeedFile } from '../../src/modules/accounts/seed/seed.service.js';
import { useTestContext } from '../helpers/app-fixture.js';
import { REPO_ROOT } from '../helpers/reference-files.js';
import type { TestContext } from '../helpers/test-app.js';
import { parseXml, text } from '../helpers/xml-tree.js';

const root = REPO_ROOT;
const run = promisify(execFile);
let context: TestContext;
let base: string;

useTestContext((given) => {
  context = given;
});
beforeAll(async () => {
  const seed = JSON.parse(fs.readFileSync(path.join(root, 'examples/demo-seed.json'), 'utf8'));
  await seedDatabase(context.database.db, validateSeedFile(seed));
  base = await context.app.listen({ port: 0, host: '127.0.0.1' });
});

describe('README: Notifications', () => {
  it('subscribes the demo app and lists its notifications', async () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const block = [...readme.matchAll(/```bash\n([\s\S]*?)```/g)]
      .map((m) => m[1] ?? '')
      .find((b) => b.includes('/api/company/v1.0/subscribe'));
    expect(block).toBeDefined();
    const script = (block as string).replace(/^export ITINERA=.*$/m, '');
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script], {
      cwd: root,
      env: { ...process.env, ITINERA: base },
    });
    const [subscription, list] = stdout.split('</Subscription>');
    const doc = parseXml(`${subscription}</Subscription>`);
    expect(text(doc, 'Subscribed')).toBe('true');
    expect(text(doc, 'PostbackURL')).toBe('http://localhost:8000/notifications');
    expect(text(doc, 'SigningSecret')).toMatch(/^whsec_/);
    expect(JSON.parse(list as string)).toEqual({ items: [], next: null });
  }, 30_000);
});
