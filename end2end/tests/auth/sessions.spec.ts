/**
 * Server-side sessions under concurrent requests, as a browser makes them (a page's document,
 * styles, script and wasm, and server-function calls, all with the same session cookie).
 */
import { expect, test } from '@playwright/test';
import { jsEnabled, signIn } from '../helpers';

test('requests of one session at the same time all succeed', async ({ page }) => {
  test.skip(!jsEnabled(), 'a check at the HTTP level: once is enough');
  // A page's document, styles, script and wasm arrive together with one session cookie; none
  // of them may fail because another request of the same session is being saved.
  await signIn(page, 'ward_cio');
  // The stylesheet as the page names it (`/pkg/kyodo.<hash>.css`).
  const css = await page.locator('link[rel="stylesheet"]').first().getAttribute('href');
  expect(css).toMatch(/^\/pkg\/kyodo\..+\.css$/);
  const statuses: number[] = [];
  for (let round = 0; round < 10 && statuses.every((s) => s === 200); round++) {
    const batch = await Promise.all(
      Array.from({ length: 6 }, () => page.request.get(css!, { headers: { 'cache-control': 'no-cache' } })),
    );
    statuses.push(...batch.map((r) => r.status()));
  }
  expect(statuses.filter((s) => s !== 200), `answers to ${statuses.length} requests`).toEqual([]);
});
