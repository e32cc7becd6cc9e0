/**
 * Server-side sessions under concurrent requests, as a browser makes them (a page's document,
 * styles, script and wasm, and server-function calls, all with the same session cookie).
 */
import { expect, test } from '@playwright/test';
import { jsEnabled, signIn } from './helpers';

test('requests of one session at the same time all succeed', async ({ page }) => {
  test.skip(!jsEnabled(), 'a check at the HTTP level: once is enough');
  // Known server bug: every request saves its session (`with_always_save(true)`); concurrent
  // UPSERTs of the same `session` record end in SurrealDB "Transaction write conflict", and
  // tower-sessions then replaces the response with an empty 500, even for /pkg/kyodo.wasm, so a
  // page may never hydrate (the cause of the occasional hydration time-outs; helpers.ts
  // waitReady loads such a page again and notes it). Fix in the session store (retry on a
  // conflict) or keep static files out of the session layer; then remove this `test.fail` and
  // the retry in waitReady.
  test.fail(true, 'known bug: concurrent saves of one session conflict; the losing request gets 500');
  await signIn(page, 'ward_cio');
  const statuses: number[] = [];
  for (let round = 0; round < 10 && statuses.every((s) => s === 200); round++) {
    const batch = await Promise.all(
      Array.from({ length: 6 }, () => page.request.get('/pkg/kyodo.css', { headers: { 'cache-control': 'no-cache' } })),
    );
    statuses.push(...batch.map((r) => r.status()));
  }
  expect(statuses.filter((s) => s !== 200), `answers to ${statuses.length} requests`).toEqual([]);
});
