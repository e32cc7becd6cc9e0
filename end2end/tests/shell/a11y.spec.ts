/**
 * axe-core scans (WCAG 2.0/2.1 A and AA) of every kind of page, in both projects.
 */
import { expect, test } from '@playwright/test';
import {
  expectNoAxeViolations,
  fixture,
  importCsv,
  notImportedHeading,
  open,
  signIn,
  switchLanguage,
} from '../helpers';

test('/login', async ({ page }) => {
  await open(page, '/login');
  await expectNoAxeViolations(page);
});

for (const path of ['/', '/orgs', '/orgs/131164', '/standardization', '/standardization/import']) {
  test(`${path} signed in`, async ({ page }) => {
    await signIn(page, 'ward_cio');
    await open(page, path);
    await expectNoAxeViolations(page);
  });
}

for (const lang of ['ja', 'en'] as const) {
  test(`/admin/users (${lang})`, async ({ page }) => {
    await signIn(page, 'admin');
    await open(page, '/admin/users');
    if (lang === 'en') await switchLanguage(page, 'en');
    await expect(page.locator('main table tbody tr').first()).toBeVisible();
    await expectNoAxeViolations(page);
  });
}

test('/standardization in English', async ({ page }) => {
  await signIn(page, 'govtech_advisor');
  await open(page, '/standardization');
  await switchLanguage(page, 'en');
  await expectNoAxeViolations(page);
});

test('/standardization/import signed out', async ({ page }) => {
  await open(page, '/standardization/import');
  await expectNoAxeViolations(page);
});

test('import result page with errors', async ({ page }) => {
  await signIn(page, 'tokyo_officer');
  await importCsv(page, fixture('progress_errors.csv'));
  await expect(notImportedHeading(page)).toBeVisible();
  await expectNoAxeViolations(page);
});

test('404 page', async ({ page }) => {
  const response = await open(page, '/no-such-page');
  expect(response?.status()).toBe(404);
  await expect(page.locator('main')).toContainText('ページが見つかりません');
  await expectNoAxeViolations(page);
});
