import { expect, test } from '@playwright/test';

// The build's files revalidate (304 when unchanged); signed-in answers are never stored.
const KYODO = process.env.KYODO_BASE_URL ?? 'http://127.0.0.1:3100';

test('build files answer 304 to a revalidation and are cached with no-cache', async ({ request }) => {
  for (const file of ['/pkg/kyodo.js', '/pkg/kyodo.wasm', '/pkg/kyodo.css']) {
    const first = await request.get(`${KYODO}${file}`);
    expect(first.status(), file).toBe(200);
    expect(first.headers()['cache-control'], file).toBe('public, no-cache');
    const modified = first.headers()['last-modified'];
    expect(modified, file).toBeTruthy();
    const again = await request.get(`${KYODO}${file}`, { headers: { 'If-Modified-Since': modified } });
    expect(again.status(), file).toBe(304);
  }
});

test('pages are no-store', async ({ request }) => {
  const page = await request.get(`${KYODO}/login`);
  expect(page.headers()['cache-control']).toBe('no-store');
});
