import { expect, test } from '@playwright/test';

// The build's files are named by their content and kept for a year; signed-in answers are never stored.
const KYODO = process.env.KYODO_BASE_URL ?? 'http://127.0.0.1:3100';

/** The build's CSS, JS and wasm as a page names them (`/pkg/kyodo.<hash>.css` …). */
async function buildFiles(request: import('@playwright/test').APIRequestContext): Promise<string[]> {
  const html = await (await request.get(`${KYODO}/login`)).text();
  const files = [...new Set(html.match(/\/pkg\/kyodo[^"]*\.(css|js|wasm)/g) ?? [])].sort();
  expect(files.map((f) => f.split('.').pop()).sort(), 'the page names its CSS, JS and wasm').toEqual(['css', 'js', 'wasm']);
  return files;
}

test('build files are named by their content and cached for a year without revalidation', async ({ request }) => {
  for (const file of await buildFiles(request)) {
    expect(file, 'a hashed name').toMatch(/^\/pkg\/kyodo\.[A-Za-z0-9_-]{22}\.(css|js|wasm)$/);
    const reply = await request.get(`${KYODO}${file}`);
    expect(reply.status(), file).toBe(200);
    expect(reply.headers()['cache-control'], file).toBe('public, max-age=31536000, immutable');
  }
  // A name the build did not write is not found (no page can be kept with a stale file).
  const missing = await request.get(`${KYODO}/pkg/kyodo.AAAAAAAAAAAAAAAAAAAAAA.wasm`);
  expect(missing.status()).toBe(404);
  expect(missing.headers()['cache-control'], 'a missing file is not kept').toBe('no-store');
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
  const files = await buildFiles(request);
  const css = files.find((f) => f.endsWith('.css'));
  const wasmFile = files.find((f) => f.endsWith('.wasm'));
  const style = await request.get(`${KYODO}${css}`, { headers: { 'Accept-Encoding': 'gzip' } });
  expect(style.headers()['content-encoding']).toBe('gzip');
  expect(style.headers()['vary'] ?? '').toMatch(/accept-encoding/i);
  const wasm = await request.get(`${KYODO}${wasmFile}`, { headers: { 'Accept-Encoding': 'br, gzip' } });
  expect(wasm.headers()['vary'] ?? '', 'the build files say that their encoding depends on the request').toMatch(/accept-encoding/i);
  const plain = await request.get(`${KYODO}/login`, { headers: { 'Accept-Encoding': 'identity' } });
  expect(plain.headers()['content-encoding']).toBeUndefined();
});
