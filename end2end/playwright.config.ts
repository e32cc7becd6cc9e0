import { defineConfig } from '@playwright/test';

/**
 * Kyodo end-to-end tests.
 *
 * The server is started by `scripts/e2e.sh` (there is no `webServer` block): it serves a
 * fresh data directory with the demo data loaded and passes its address in `KYODO_BASE_URL`.
 *
 * Every flow runs twice: `hydrated` (JavaScript on; tests wait for `body[data-hydrated=true]`
 * before interacting) and `no-js` (JavaScript off; plain HTML forms and links only).
 * `scripts/e2e.sh` runs each project against its own fresh server and data directory, so what
 * one project writes never meets the other's.
 *
 * Specs live in one folder per capability or shared area, like `app/src`: `auth/`, `orgs/`,
 * `shell/` (layout, language, accessibility, caching), `standardization/` (the tracker and the
 * shared services it uses: threads, attachments, notifications).
 */
const baseURL = process.env.KYODO_BASE_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  testDir: 'tests',
  // Two cores: one worker (tests within a project share their server and run in order).
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: 'list',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    browserName: 'chromium',
    // Japanese is the product's default language; make the browser ask for it too so the
    // result does not depend on the machine's locale.
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
    trace: 'retain-on-failure',
    // `npx playwright install` cannot work on this machine: use Debian's chromium.
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // The test identity provider's pages (oidc-provider's development views) link a web
        // font; fail it at once instead of trying the network. (No page.route for this: routing
        // turns Chromium's HTTP cache off.)
        '--host-resolver-rules=MAP fonts.googleapis.com ~NOTFOUND, MAP fonts.gstatic.com ~NOTFOUND',
      ],
    },
  },
  projects: [
    {
      name: 'hydrated',
      use: { javaScriptEnabled: true },
    },
    {
      name: 'no-js',
      use: { javaScriptEnabled: false },
    },
  ],
});
