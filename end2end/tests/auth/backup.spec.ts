import { expect, test } from '@playwright/test';
import { expectNoAxeViolations, open, signIn, switchLanguage } from '../helpers';
import { readFile } from 'node:fs/promises';

/**
 * Backups (issue #14): an administrator downloads the whole store from /admin/users as one
 * SurrealQL file (`kyodo restore` reads it); a CIO, who manages accounts too, is offered none
 * and is refused the address itself.
 */

test('an administrator downloads a backup from the accounts page', async ({ page }) => {
  await signIn(page, 'admin');
  await open(page, '/admin/users');
  await expect(page.getByRole('heading', { name: 'バックアップ', level: 2 })).toBeVisible();
  const link = page.getByRole('link', { name: 'バックアップをダウンロード' });
  const download = page.waitForEvent('download');
  await link.click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^kyodo-backup-\d{8}-\d{4}\.surql$/);
  const text = await readFile((await file.path()) as string, 'utf-8');
  expect(text).toContain('DEFINE TABLE');
  expect(text).toContain('豊島区');
  await expectNoAxeViolations(page);
  await switchLanguage(page, 'en');
  await expect(page.getByRole('link', { name: 'Download a backup' })).toBeVisible();
  await expectNoAxeViolations(page);
});

test('a CIO is offered no backup and is refused one', async ({ page }) => {
  await signIn(page, 'ward_cio');
  await open(page, '/admin/users');
  await expect(page.getByRole('heading', { name: 'アカウント管理', level: 1 })).toBeVisible();
  await expect(page.getByRole('link', { name: 'バックアップをダウンロード' })).toHaveCount(0);
  const response = await page.request.get('/admin/backup');
  expect(response.status()).toBe(403);
});
