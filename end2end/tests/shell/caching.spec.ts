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

test('pages and build files go out compressed to a client that accepts it', async ({ request }) => {
  const page = await request.get(`${KYODO}/login`, { headers: { 'Accept-Encoding': 'br, gzip' } });
  expect(page.status()).toBe(200);
  expect(page.headers()['content-encoding']).toBe('br');
  expect(page.headers()['vary'] ?? '').toMatch(/accept-encoding/i);
  expect(await page.text()).toContain('<html');
  const gzip = await request.get(`${KYODO}/login`, { headers: { 'Accept-Encoding': 'gzip' } });
  expect(gzip.headers()['content-encoding']).toBe('gzip');
  const css = await request.get(`${KYODO}/pkg/kyodo.css`, { headers: { 'Accept-Encoding': 'gzip' } });
  expect(css.headers()['content-encoding']).toBe('gzip');
  expect(css.headers()['vary'] ?? '').toMatch(/accept-encoding/i);
  const wasm = await request.get(`${KYODO}/pkg/kyodo.wasm`, { headers: { 'Accept-Encoding': 'br, gzip' } });
  expect(wasm.headers()['vary'] ?? '', 'the build files say that their encoding depends on the request').toMatch(/accept-encoding/i);
  const plain = await request.get(`${KYODO}/login`, { headers: { 'Accept-Encoding': 'identity' } });
  expect(plain.headers()['content-encoding']).toBeUndefined();
});
