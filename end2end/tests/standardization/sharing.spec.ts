import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations, jsEnabled, open, signIn, waitReady } from '../helpers';

/**
 * The shared services on the tracker's pages: replies and edits in a step thread (with the
 * earlier version shown), and attachments on a record (upload, download as a file, refusal).
 *
 * Writes: 豊島区 public_assistance step threads 1 (hydrated) and 2 (no-js), and attachments on
 * 豊島区 child_rearing_allowance (hydrated) and long_term_care_insurance (no-js); no other test
 * reads them.
 */

const TOSHIMA = '131164';

function project(): 'hydrated' | 'no-js' {
  return jsEnabled() ? 'hydrated' : 'no-js';
}

async function submit(page: Page, form: string, done: (url: URL) => boolean) {
  await page.locator(`${form} button[type="submit"]`).click();
  await page.waitForURL(done);
  await waitReady(page);
}

test('a comment is answered with a reply and corrected by its author', async ({ page }) => {
  const step = project() === 'hydrated' ? 1 : 2;
  const thread = `/standardization/records/${TOSHIMA}/public_assistance/steps/${step}`;
  const question = `移行スケジュールの質問 (${project()})`;
  await signIn(page, 'ward_cio');
  await open(page, thread);
  await page.locator('#body').fill(question);
  await submit(page, 'form.comment-form', (url) => url.searchParams.get('posted') === '1');
  const asked = page.locator('ol.comments > li', { hasText: question });
  await expect(asked).toBeVisible();

  // Reply: the form says whom it answers, the reply links back.
  await asked.getByRole('link', { name: '返信する' }).click();
  await page.waitForURL((url) => url.searchParams.has('reply_to'));
  await waitReady(page);
  await expect(page.locator('form.comment-form p.reply-to')).toContainText('さんのコメントへの返信');
  await page.locator('#body').fill(`補足です (${project()})`);
  await submit(page, 'form.comment-form', (url) => url.searchParams.get('posted') === '1');
  const reply = page.locator('ol.comments > li', { hasText: `補足です (${project()})` });
  await expect(reply.locator('p.reply-to')).toBeVisible();
  const target = await reply.locator('p.reply-to a').getAttribute('href');
  expect(target).toBe(`#${await asked.getAttribute('id')}`);

  // Edit: the form holds the text; after the update the earlier version is under the comment.
  await asked.getByRole('link', { name: '編集する' }).click();
  await page.waitForURL((url) => url.searchParams.has('edit'));
  await waitReady(page);
  await expect(page.locator('#body')).toHaveValue(question);
  await page.locator('#body').fill(`${question}（修正）`);
  await submit(page, 'form.comment-form', (url) => url.searchParams.get('edited') === '1');
  await expect(page.locator('main [role="status"]')).toHaveText('コメントを更新しました。');
  const edited = page.locator('ol.comments > li', { hasText: `${question}（修正）` });
  await expect(edited.locator('.comment-head')).toContainText('編集済み');
  await edited.locator('details.revisions summary').click();
  await expect(edited.locator('details.revisions pre.revision')).toHaveText(question);
  await expectNoAxeViolations(page);
});

test('a record takes an attachment that downloads as a file, and refuses a disguised one', async ({ page }) => {
  const system = project() === 'hydrated' ? 'child_rearing_allowance' : 'long_term_care_insurance';
  const record = `/standardization/records/${TOSHIMA}/${system}`;
  await signIn(page, 'ward_cio');
  await open(page, record);
  const name = `移行計画書 (${project()}).pdf`;
  await page.locator('#attachment-file').setInputFiles({
    name,
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'),
  });
  await submit(page, 'form.attach-form', (url) => url.searchParams.get('attached') === '1');
  const section = page.locator('#attachments');
  await expect(section.locator('[role="status"]')).toHaveText('ファイルを添付しました。');
  const link = section.getByRole('link', { name });
  await expect(link).toBeVisible();
  const href = await link.getAttribute('href');
  const download = await page.request.get(href!);
  expect(download.status()).toBe(200);
  expect(download.headers()['content-type']).toBe('application/pdf');
  expect(download.headers()['content-disposition']).toMatch(/^attachment; /);
  expect(download.headers()['x-content-type-options']).toBe('nosniff');
  expect((await download.body()).subarray(0, 5).toString()).toBe('%PDF-');

  // HTML named .pdf: refused, said on the record page, nothing listed.
  await page.locator('#attachment-file').setInputFiles({
    name: 'invoice.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('<html><script>alert(1)</script></html>'),
  });
  await submit(page, 'form.attach-form', (url) => url.searchParams.has('form_error'));
  await expect(page.locator('main [role="alert"]').first()).toContainText('中身が拡張子と一致するものだけです');
  await expect(section.getByRole('link', { name: 'invoice.pdf' })).toHaveCount(0);
  await expectNoAxeViolations(page);
});

test('a reader sees attachments but no upload form', async ({ page }) => {
  await signIn(page, 'govtech_advisor');
  await open(page, `/standardization/records/${TOSHIMA}/child_rearing_allowance`);
  await expect(page.locator('#attachments h2')).toHaveText('添付ファイル');
  await expect(page.locator('form.attach-form')).toHaveCount(0);
});
