/**
 * Shared steps for Kyodo's end-to-end tests.
 *
 * Every helper works in both projects: `hydrated` (JavaScript on) and `no-js` (JavaScript off).
 * In the hydrated project the page is only "ready" once the wasm has hydrated it and set
 * `<body data-hydrated="true">`; clicking earlier would exercise the plain-HTML fallback instead.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import * as path from 'node:path';

/** Demo personas offered on `/login` (`<button name="persona" value="…">`). */
export type Persona =
  | 'ward_cio' // 豊島区 CIO
  | 'city_staff' // 八王子市 staff
  | 'town_staff' // 瑞穂町 staff
  | 'govtech_advisor'
  | 'tokyo_officer'
  | 'admin';

export const PERSONAS: readonly Persona[] = [
  'ward_cio',
  'city_staff',
  'town_staff',
  'govtech_advisor',
  'tokyo_officer',
  'admin',
];

/** WCAG 2.0/2.1 A and AA, the level public-sector sites in Japan are held to (JIS X 8341-3:2016). */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Whether the running project has JavaScript (and so hydration) enabled. */
export function jsEnabled(): boolean {
  return test.info().project.use.javaScriptEnabled !== false;
}

/** Absolute path of a file in `end2end/fixtures/`. */
export function fixture(name: string): string {
  return path.resolve(__dirname, '..', 'fixtures', name);
}

/**
 * Waits until the current page can be interacted with: in the hydrated project, until the wasm has
 * set `body[data-hydrated=true]`; in the no-js project the server-rendered HTML is all there is.
 */
export async function waitReady(page: Page): Promise<void> {
  if (!jsEnabled()) return;
  await page.locator('body[data-hydrated="true"]').waitFor({ state: 'attached', timeout: 30_000 });
}

/** `page.goto` followed by {@link waitReady}; returns the navigation response. */
export async function open(page: Page, url: string) {
  const response = await page.goto(url);
  await waitReady(page);
  return response;
}

/**
 * The sign-out button in the header ("サインアウト" / "Sign out"); exactly that name, so that a
 * "sign out everywhere" button ("すべての端末でサインアウト") next to it is not taken for it.
 */
export function signOutButton(page: Page): Locator {
  return page.getByRole('button', { name: /^\s*(サインアウト|Sign out)\s*$/ });
}

/**
 * Signs in as a demo persona through `/login` and waits until the browser has landed on `/`
 * with the signed-in header (sign-out button) in place.
 */
export async function signIn(page: Page, persona: Persona): Promise<void> {
  await open(page, '/login');
  await page.locator(`button[name="persona"][value="${persona}"]`).click();
  await page.waitForURL((url) => url.pathname === '/');
  await expect(signOutButton(page)).toBeVisible();
  await waitReady(page);
}

/**
 * Presses the header's language switch (a form POST to `/api/set_language`, `<button name="lang">`)
 * and waits until the page is rendered in that language.
 */
export async function switchLanguage(page: Page, to: 'en' | 'ja'): Promise<void> {
  const button = page.locator(`button[name="lang"][value="${to}"]`);
  await expect(button).toContainText(to === 'en' ? 'English' : '日本語');
  await button.click();
  await expect(page.locator('html')).toHaveAttribute('lang', to);
  await waitReady(page);
}

/** The progress-matrix cell for one municipality × system on `/standardization`. */
export function matrixCell(page: Page, lgCode: string, systemCode: string): Locator {
  return page.locator(`td[data-cell="${lgCode}-${systemCode}"]`);
}

/** Opens `/standardization` and returns the text of one matrix cell. */
export async function readMatrixCell(page: Page, lgCode: string, systemCode: string): Promise<string> {
  await open(page, '/standardization');
  const cell = matrixCell(page, lgCode, systemCode);
  await expect(cell).toHaveCount(1);
  return normalizeSpace(await cell.innerText());
}

/** Collapses runs of white space, so texts compare equal however the cell is laid out. */
export function normalizeSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Uploads a CSV on `/standardization/import` (the signed-in user's form) and waits for the
 * result page `/standardization/import/<id>`.
 */
export async function importCsv(page: Page, file: string): Promise<void> {
  await open(page, '/standardization/import');
  await page.getByLabel(/CSVファイル|CSV file/).setInputFiles(file);
  await page.getByRole('button', { name: /取り込む|Import/ }).click();
  await page.waitForURL(/\/standardization\/import\/[^/?#]+$/);
  await waitReady(page);
}

/** The heading of a successful import ("取り込みました" / "Imported"). */
export function importedHeading(page: Page): Locator {
  return page.getByRole('heading', { name: /取り込みました|Imported/ });
}

/** The heading of a rejected import ("取り込めませんでした" / "Not imported"). */
export function notImportedHeading(page: Page): Locator {
  return page.getByRole('heading', { name: /取り込めませんでした|Not imported/ });
}

/** One row of the import error table: the reported line number and the row's whole text. */
export interface ImportError {
  line: number;
  text: string;
}

/**
 * Reads the error table of a rejected import. The line-number column is found by its header
 * (行 / Line / Row); each row's full text is kept so that tests can look for the column name.
 */
export async function importErrors(page: Page): Promise<ImportError[]> {
  const table = page
    .locator('main table')
    .filter({ has: page.locator('thead th', { hasText: /行|line|row/i }) })
    .first();
  await expect(table).toBeVisible();
  const headers = (await table.locator('thead th').allInnerTexts()).map(normalizeSpace);
  const lineColumn = Math.max(
    0,
    headers.findIndex((h) => /行|line|row/i.test(h)),
  );
  const rows = table.locator('tbody tr');
  const errors: ImportError[] = [];
  for (const row of await rows.all()) {
    const cells = row.locator('th, td');
    const lineText = await cells.nth(lineColumn).innerText();
    errors.push({
      line: Number.parseInt(lineText.replace(/[^0-9]/g, ''), 10),
      text: normalizeSpace(await row.innerText()),
    });
  }
  return errors;
}

/** The distinct line numbers of {@link importErrors}, ascending. */
export function errorLines(errors: ImportError[]): number[] {
  return [...new Set(errors.map((e) => e.line))].sort((a, b) => a - b);
}

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA, or only the axe rules named in `options.rules`, e.g. the
 * best-practice `empty-table-header`) on the current page and fails with a readable list of
 * violations: rule, impact, help and the offending nodes. The full report is attached to the test.
 *
 * axe is a script, and with JavaScript disabled its run never finishes. In the no-js project the
 * page as the browser built it without script (`page.content()`, `<noscript>` content included) is
 * therefore scanned in a throwaway JavaScript-enabled page at the same URL, with the same styles
 * and viewport, its scripts removed and script requests blocked so that nothing hydrates.
 */
export async function expectNoAxeViolations(page: Page, options: { rules?: string[] } = {}): Promise<void> {
  await waitReady(page);
  let violations;
  if (jsEnabled()) {
    violations = await axeViolations(page, options.rules);
  } else {
    const url = page.url();
    const html = withoutScripts(await page.content());
    const browser = page.context().browser();
    if (!browser) throw new Error('no browser to open the axe scan page in');
    const context = await browser.newContext({
      javaScriptEnabled: true,
      viewport: page.viewportSize(),
      locale: 'ja-JP',
      timezoneId: 'Asia/Tokyo',
    });
    try {
      const scan = await context.newPage();
      await scan.route('**/*', (route) =>
        route.request().resourceType() === 'script' ? route.abort() : route.continue(),
      );
      await scan.route(
        (u) => u.href === url,
        (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
      );
      await scan.goto(url);
      violations = await axeViolations(scan, options.rules);
    } finally {
      await context.close();
    }
  }
  if (violations.length > 0) {
    const report = JSON.stringify(violations, null, 2);
    console.log(`axe: ${violations.length} violation(s) on ${page.url()}\n${report}`);
    await test.info().attach('axe-violations.json', { body: report, contentType: 'application/json' });
  }
  expect(violations, `axe violations on ${page.url()}`).toEqual([]);
}

async function axeViolations(page: Page, rules?: string[]) {
  const builder = new AxeBuilder({ page });
  const results = await (rules ? builder.withRules(rules) : builder.withTags(AXE_TAGS)).analyze();
  return results.violations.map((v) => ({
    rule: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({
      target: n.target.map((t) => (Array.isArray(t) ? t.join(' >> ') : String(t))).join(' >>> '),
      html: n.html,
      failure: n.failureSummary,
    })),
  }));
}

/**
 * The serialized no-js DOM made safe to load with script on: scripts removed, and `<noscript>`
 * (whose content a script-enabled parser would treat as text) turned into a plain element.
 */
function withoutScripts(html: string): string {
  return html
    .replace(/<script\b[\s\S]*?<\/script\s*>/gi, '')
    .replace(/<noscript\b/gi, '<div data-noscript=""')
    .replace(/<\/noscript\s*>/gi, '</div>');
}
