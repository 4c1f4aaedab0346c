/**
 * The web app in a real browser (Chromium through playwright-core), at desktop and phone
 * sizes: the landing page, signing in through the authorize page, the trip lists, a trip's
 * time line, ready to expense, subscribing to and replacing the calendar feed, duty of care,
 * signing out; axe-core finds no serious or critical problem on any
 * page, and no page scrolls sideways on a 390 px phone.
 */
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestTenant } from '../helpers/app-fixture.js';
import { launchChromium, seriousAxeViolations } from '../helpers/browser.js';
import type { Tenant, TestContext } from '../helpers/test-app.js';
import { seedWebWorld, type WebWorld } from '../helpers/web-world.js';

let context: TestContext;
let tenant: Tenant;
let world: WebWorld;
let browser: Browser;
let base: string;

useTestTenant((given) => {
  ({ context, tenant } = given);
});
beforeAll(async () => {
  world = await seedWebWorld(context, tenant);
  await context.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(context.app.server.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

const SIZES = [
  { name: 'desktop', viewport: { width: 1280, height: 800 } },
  { name: 'phone', viewport: { width: 390, height: 844 } },
] as const;

/** Checks the page for accessibility problems and, on a phone, sideways scrolling. */
async function checkPage(page: Page, width: number) {
  expect(await seriousAxeViolations(page), page.url()).toEqual([]);
  const scrollWidth = (await page.evaluate('document.documentElement.scrollWidth')) as number;
  expect(scrollWidth, page.url()).toBeLessThanOrEqual(width);
}

async function signIn(page: Page, user: { loginId: string; password: string }) {
  await page.goto(`${base}/`);
  await page.getByRole('link', { name: 'Sign in to see your trips' }).click();
  await page.waitForURL(/\/oauth2\/v0\/authorize\?/);
  await page.getByLabel(/login/i).fill(user.loginId);
  await page.getByLabel(/password/i).fill(user.password);
  await page.getByRole('button', { name: 'Sign in and allow' }).click();
  await page.waitForURL(`${base}/app/trips`);
}

describe.each(SIZES)('the web app on a $name', ({ viewport }) => {
  it('signs a traveller in and shows their trips and a trip time line', async () => {
    const session = await browser.newContext({ viewport, bypassCSP: true });
    const page = await session.newPage();
    try {
      await page.goto(`${base}/`);
      await checkPage(page, viewport.width);
      await signIn(page, tenant.traveller);
      await expect
        .poll(() => page.getByRole('heading', { level: 1 }).textContent())
        .toBe('My trips');
      await checkPage(page, viewport.width);
      const upcoming = page.getByRole('link', { name: 'New York sales visit' });
      expect(await upcoming.count()).toBe(1);
      expect(await page.getByText('Spring conference').count()).toBe(0);

      await page.getByRole('link', { name: 'Past' }).click();
      await page.waitForURL(`${base}/app/trips?tab=past`);
      expect(await page.getByRole('link', { name: 'Spring conference' }).count()).toBe(1);
      await checkPage(page, viewport.width);

      await page.getByRole('link', { name: 'Upcoming' }).click();
      await page.getByRole('link', { name: 'New York sales visit' }).click();
      await page.waitForURL(`${base}/app/trips/${world.upcomingId}`);
      const timeline = page.getByRole('list').filter({ hasText: 'BA 117' });
      expect(await timeline.getByRole('listitem').count()).toBe(4);
      expect(await page.getByText('London Heathrow Airport (LHR), London').count()).toBeGreaterThan(
        0,
      );
      expect(await page.getByText('3 nights').count()).toBe(1);
      expect(await page.getByText('Cancelled').count()).toBe(1);
      await checkPage(page, viewport.width);

      // Someone else's trip: a 404 page that names nothing of it.
      const other = await page.goto(`${base}/app/trips/${world.othersId}`);
      expect(other?.status()).toBe(404);
      expect(await page.content()).not.toContain('Olga');
      await checkPage(page, viewport.width);

      await page.getByRole('link', { name: 'My trips', exact: true }).click();
      await page.getByRole('link', { name: 'Ready to expense' }).click();
      await page.waitForURL(`${base}/app/trips?tab=expense`);
      expect(await page.getByRole('link', { name: 'Spring conference' }).count()).toBe(1);
      await checkPage(page, viewport.width);

      // The calendar feed: subscribe (webcal://) or copy, then replace the address.
      await page.getByRole('link', { name: 'Calendar', exact: true }).click();
      await page.waitForURL(`${base}/app/calendar`);
      const feed = page.getByLabel('Or copy this address into your calendar app');
      const first = await feed.inputValue();
      expect(first).toMatch(/\/calendar\/v1\/feeds\/[^/]+\.ics$/);
      const subscribe = page.getByRole('link', { name: 'Subscribe in your calendar app' });
      expect(await subscribe.getAttribute('href')).toBe(first.replace(/^http:/, 'webcal:'));
      await checkPage(page, viewport.width);
      await page.getByRole('button', { name: 'Replace the calendar address' }).click();
      await page.waitForURL(`${base}/app/calendar?rotated=1`);
      const second = await page
        .getByLabel('Or copy this address into your calendar app')
        .inputValue();
      expect(second).not.toBe(first);
      expect(second).toMatch(/\/calendar\/v1\/feeds\/[^/]+\.ics$/);
      await checkPage(page, viewport.width);

      await page.getByRole('button', { name: /Sign out/ }).click();
      await page.waitForURL(`${base}/`);
      const after = await page.goto(`${base}/app/trips`);
      expect(after?.url()).toContain('/oauth2/v0/authorize');
    } finally {
      await session.close();
    }
  }, 60_000);

  it('shows an administrator where the travellers are', async () => {
    const session = await browser.newContext({ viewport, bypassCSP: true });
    const page = await session.newPage();
    try {
      await signIn(page, tenant.admin);
      await page.getByRole('link', { name: 'Duty of care' }).click();
      await page.getByLabel('Day').fill(world.awayDay);
      await page.getByRole('button', { name: 'Show' }).click();
      await page.waitForURL(`${base}/app/duty-of-care?date=${world.awayDay}`);
      const rows = page.getByRole('row').filter({ hasText: 'New York City' });
      expect(await rows.count()).toBe(2);
      await checkPage(page, viewport.width);
    } finally {
      await session.close();
    }
  }, 60_000);
});
