/**
 * Makes docs/images/web-trips.png, the README's screenshot of the web app: a fresh SQLite
 * database with the web app tests' world (test/helpers/web-world.ts), the app listening on
 * a loopback port, Debian's Chromium (playwright-core) signing the traveller in through the
 * real pages, then a full-page picture of the upcoming trip's time line at 1100 px wide.
 * Run with `npx tsx scripts/screenshot-web.ts` (needs `apt-get install chromium`).
 */
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { launchChromium } from '../test/helpers/browser.js';
import { buildTestApp, seedTenant } from '../test/helpers/test-app.js';
import { seedWebWorld } from '../test/helpers/web-world.js';

const OUTPUT = path.resolve(import.meta.dirname, '..', 'docs', 'images', 'web-trips.png');

const context = await buildTestApp();
const browser = await launchChromium();
try {
  const tenant = await seedTenant(context);
  const world = await seedWebWorld(context, tenant);
  await context.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(context.app.server.address() as AddressInfo).port}`;
  const page = await (
    await browser.newContext({ viewport: { width: 1100, height: 900 } })
  ).newPage();
  await page.goto(`${base}/app/sign-in`);
  await page.getByLabel(/login/i).fill(tenant.traveller.loginId);
  await page.getByLabel(/password/i).fill(tenant.traveller.password);
  await page.getByRole('button', { name: 'Sign in and allow' }).click();
  await page.waitForURL(`${base}/app/trips`);
  await page.goto(`${base}/app/trips/${world.upcomingId}`);
  await page.screenshot({ path: OUTPUT, fullPage: true });
  console.log(`wrote ${path.relative(process.cwd(), OUTPUT)}`);
} finally {
  await browser.close();
  await context.close();
}
