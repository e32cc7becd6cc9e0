import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations, jsEnabled, open, signIn, switchLanguage, waitReady } from '../helpers';

/**
 * Joint projects end to end: a GovTech Tokyo advisor posts a call, two municipalities join,
 * the lead confirms and awards; the pages pass axe in Japanese and English. Each Playwright
 * project runs on its own server (scripts/e2e.sh), so the titles only need to be unique.
 */

/** A `datetime-local` value in Japan time, `hours` from now. */
function jst(hours: number): string {
  return new Date(Date.now() + (hours + 9) * 3600_000).toISOString().slice(0, 16);
}

function title(): string {
  return `庁内PCの共同調達 (${jsEnabled() ? 'hydrated' : 'no-js'} ${Date.now().toString(36)})`;
}

async function submit(page: Page, form: string, done: (url: URL) => boolean) {
  await page.locator(`${form} button[type="submit"]`).first().click();
  await page.waitForURL(done);
  await waitReady(page);
}

async function switchTo(page: Page, persona: Parameters<typeof signIn>[1]) {
  await page.context().clearCookies();
  await signIn(page, persona);
}

test('an advisor posts a call, two municipalities join, the lead confirms and awards', async ({ page }) => {
  const name = title();
  await signIn(page, 'govtech_advisor');
  await open(page, '/projects');
  await page.getByRole('link', { name: '協働事業を登録する' }).click();
  await page.waitForURL((url) => url.pathname === '/projects/new');
  await waitReady(page);
  await page.locator('#kind').selectOption('joint_procurement');
  await page.locator('#lead').selectOption('govtech_tokyo');
  await page.locator('#title').fill(name);
  await page.locator('#summary').fill('各区市町村の庁内PCをまとめて調達します。');
  await page.locator('#tags').fill('PC、端末');
  await page.locator('#system-resident_registry').check();
  await page.locator('#unit').fill('台');
  await page.locator('#base_cost_yen').fill('1,000,001');
  await submit(page, 'form.record-form', (url) => url.searchParams.get('created') === '1');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  await expect(page.locator('main [role="status"]')).toHaveText('下書きとして登録しました。');
  const projectUrl = new URL(page.url()).pathname;

  // Open the call for participation (Japan time).
  await page.locator('#opens_at').fill(jst(-1));
  await page.locator('#closes_at').fill(jst(48));
  await submit(page, 'form[action="/api/move_project"]', (url) => url.searchParams.get('moved') === '1');
  await expect(page.locator('.project-meta .badge')).toHaveText('参加募集');
  await expect(page.locator('main .deadline')).toContainText('あと2日');

  // Two municipalities join.
  for (const [persona, quantity] of [['ward_cio', '40'], ['city_staff', '20']] as const) {
    await switchTo(page, persona);
    await open(page, '/projects');
    await expect(page.locator('.project-card', { hasText: name })).toBeVisible();
    await open(page, projectUrl);
    await page.locator('#quantity').fill(quantity);
    await submit(page, 'form[action="/api/join_project"]', (url) => url.searchParams.get('joined') === '1');
    await expect(page.locator('main [role="status"]')).toHaveText('参加を申し込みました。');
  }
  // Shares of ¥1,000,001 add up: 500,001 + 500,000 (the odd yen to the lower code).
  await expect(page.locator('main table tbody tr')).toHaveCount(2);
  await expect(page.locator('main table tfoot')).toContainText('1,000,001円');

  // The lead confirms, starts the tender and awards.
  await switchTo(page, 'govtech_advisor');
  await open(page, projectUrl);
  await expect(page.locator('.partners, main h2', { hasText: '参加を呼びかけたい団体' }).first()).toBeVisible();
  await submit(page, 'form[action="/api/move_project"]', (url) => url.searchParams.get('moved') === '1');
  await expect(page.locator('.project-meta .badge')).toHaveText('参加確定');
  await submit(page, 'form[action="/api/move_project"]', (url) => url.searchParams.get('moved') === '1');
  await expect(page.locator('.project-meta .badge')).toHaveText('調達');
  await page.locator('#supplier').fill('株式会社テスト');
  await page.locator('#amount_yen').fill('12,000,000');
  await submit(page, 'form[action="/api/move_project"]', (url) => url.searchParams.get('moved') === '1');
  await expect(page.locator('.project-meta .badge')).toHaveText('契約');
  await expect(page.locator('dl.facts')).toContainText('株式会社テスト');
  await expect(page.locator('ol.history > li')).toHaveCount(7);
});

test('a refused join says why, and the lead is the only one who moves a project', async ({ page }) => {
  const name = title();
  await signIn(page, 'govtech_advisor');
  await open(page, '/projects/new');
  await page.locator('#kind').selectOption('joint_procurement');
  await page.locator('#lead').selectOption('govtech_tokyo');
  await page.locator('#title').fill(name);
  await page.locator('#base_cost_yen').fill('-5');
  await submit(page, 'form.record-form', (url) => url.searchParams.has('form_error'));
  await expect(page.locator('[role="alert"]')).toContainText('共通経費');

  await page.locator('#title').fill(name);
  await page.locator('#base_cost_yen').fill('');
  await page.locator('#kind').selectOption('joint_procurement');
  await page.locator('#lead').selectOption('govtech_tokyo');
  await submit(page, 'form.record-form', (url) => url.searchParams.get('created') === '1');
  const projectUrl = new URL(page.url()).pathname;
  await page.locator('#opens_at').fill(jst(-1));
  await page.locator('#closes_at').fill(jst(-0.5));
  await submit(page, 'form[action="/api/move_project"]', (url) => url.searchParams.has('form_error'));
  await expect(page.locator('[role="alert"]')).toContainText('締切');

  // A municipality sees no lead's forms on a draft: it does not see the draft at all.
  await switchTo(page, 'ward_cio');
  const response = await open(page, projectUrl);
  expect(response?.status()).toBe(404);
});

test('the lead adds a document that a participant downloads, and marks a question answered', async ({ page }) => {
  const name = title();
  await signIn(page, 'govtech_advisor');
  await open(page, '/projects/new');
  await page.locator('#kind').selectOption('joint_procurement');
  await page.locator('#lead').selectOption('govtech_tokyo');
  await page.locator('#title').fill(name);
  await submit(page, 'form.record-form', (url) => url.searchParams.get('created') === '1');
  const projectUrl = new URL(page.url()).pathname;
  await page.locator('#opens_at').fill(jst(-1));
  await page.locator('#closes_at').fill(jst(24));
  await submit(page, 'form[action="/api/move_project"]', (url) => url.searchParams.get('moved') === '1');

  // The lead attaches the draft specification.
  const file = `仕様書（案） ${jsEnabled() ? 'hydrated' : 'no-js'}.pdf`;
  await page.locator('#attachment-file').setInputFiles({
    name: file,
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'),
  });
  await submit(page, 'form.attach-form', (url) => url.searchParams.get('attached') === '1');
  const documents = page.locator('#attachments');
  await expect(documents.getByRole('heading', { level: 2 })).toHaveText('資料');
  await expect(documents.locator('[role="status"]')).toHaveText('ファイルを添付しました。');

  // A municipality downloads it as a file and asks a question; it may not add documents.
  await switchTo(page, 'ward_cio');
  await open(page, projectUrl);
  await expect(page.locator('#attachment-file')).toHaveCount(0);
  const href = await page.locator('#attachments').getByRole('link', { name: file }).getAttribute('href');
  expect(href).toMatch(new RegExp(`^${projectUrl}/documents/`));
  const download = await page.request.get(href!);
  expect(download.status()).toBe(200);
  expect(download.headers()['content-disposition']).toMatch(/^attachment; /);
  expect(download.headers()['x-content-type-options']).toBe('nosniff');
  await page.locator('#body').fill('納品はいつ頃の予定ですか？');
  await submit(page, 'form[action="/api/post_project_comment"]', (url) => url.searchParams.get('posted') === '1');
  await expect(page.locator('ol.comments > li')).toHaveCount(1);

  // The lead marks it answered; the badge says so.
  await switchTo(page, 'govtech_advisor');
  await open(page, projectUrl);
  await page.getByRole('button', { name: '回答済みにする' }).click();
  await page.waitForURL((url) => url.searchParams.get('answered') === '1');
  await waitReady(page);
  await expect(page.locator('ol.comments > li .badge.answered')).toHaveText('回答済み');
  await expect(page.getByRole('button', { name: '未回答に戻す' })).toBeVisible();
  await expectNoAxeViolations(page);
});

test('the project pages pass axe in Japanese and English', async ({ page }) => {
  const name = title();
  await signIn(page, 'govtech_advisor');
  await open(page, '/projects/new');
  await expectNoAxeViolations(page);
  await page.locator('#kind').selectOption('shared_operation');
  await page.locator('#lead').selectOption('govtech_tokyo');
  await page.locator('#title').fill(name);
  await submit(page, 'form.record-form', (url) => url.searchParams.get('created') === '1');
  await page.locator('#opens_at').fill(jst(-1));
  await page.locator('#closes_at').fill(jst(24));
  await submit(page, 'form[action="/api/move_project"]', (url) => url.searchParams.get('moved') === '1');
  const projectUrl = new URL(page.url()).pathname;
  await switchTo(page, 'ward_cio');
  for (const lang of ['ja', 'en'] as const) {
    if (lang === 'en') await switchLanguage(page, 'en');
    await open(page, '/projects');
    await expectNoAxeViolations(page);
    await open(page, projectUrl);
    await expect(page.locator('#quantity')).toBeVisible();
    await expectNoAxeViolations(page);
    await open(page, '/');
    await expectNoAxeViolations(page);
  }
  await switchLanguage(page, 'ja');
});

test.describe('on a phone (390 px)', () => {
  test.use({ viewport: { width: 390, height: 844 } });
  test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, 'layout: covered by the hydrated project');

  test('the project pages fit the screen without sideways scrolling', async ({ page }) => {
    await signIn(page, 'govtech_advisor');
    await open(page, '/projects/new');
    await page.locator('#kind').selectOption('talent_sharing');
    await page.locator('#lead').selectOption('govtech_tokyo');
    await page.locator('#title').fill(`${title()} ${'長い件名'.repeat(8)}`);
    await submit(page, 'form.record-form', (url) => url.searchParams.get('created') === '1');
    const projectUrl = new URL(page.url()).pathname;
    for (const url of ['/projects', '/projects/new', projectUrl]) {
      await open(page, url);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${url} scrolls sideways by ${overflow} px`).toBeLessThanOrEqual(0);
    }
  });
});
