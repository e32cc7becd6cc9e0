/**
 * `/standardization/import`: uploading progress CSVs (IMPORT_FORMAT.md).
 *
 * Both projects share one server: a test that writes uses a cell of its own per project
 * (see `OWN_SYSTEM`) or writes the same values whichever project runs it.
 */
import { expect, test } from '@playwright/test';
import {
  errorLines,
  expectNoAxeViolations,
  fixture,
  importCsv,
  importErrors,
  importedHeading,
  matrixCell,
  notImportedHeading,
  open,
  readMatrixCell,
  signIn,
  switchLanguage,
} from '../helpers';

/** The 豊島区 system each project's ward_cio import writes, with the fixture that writes it. */
const OWN_SYSTEM: Record<string, { system: string; fixture: string }> = {
  hydrated: { system: 'resident_registry', fixture: 'toshima_resident_registry_utf8_bom.csv' },
  'no-js': { system: 'electoral_roll', fixture: 'toshima_electoral_roll_utf8_bom.csv' },
};

test('without signing in the import page asks to sign in', async ({ page }) => {
  await open(page, '/standardization/import');
  await expect(page.locator('main a[href^="/login"]').first()).toBeVisible();
  await expect(page.locator('main input[type="file"]')).toHaveCount(0);
});

test('the import form is a labelled multipart upload', async ({ page }) => {
  await signIn(page, 'ward_cio');
  await open(page, '/standardization/import');
  const form = page.locator('main form:has(input[type="file"])');
  await expect(form).toHaveAttribute('method', /post/i);
  await expect(form).toHaveAttribute('enctype', 'multipart/form-data');
  await expect(form).toHaveAttribute('action', /^\/standardization\/import(\/|$)/);
  await expect(page.getByLabel('CSVファイル')).toHaveAttribute('name', 'file');
  await expect(page.getByRole('button', { name: '取り込む' })).toBeVisible();
});

test('a CIO imports their own progress (UTF-8 with BOM) and sees it in the matrix, in both languages', async (
  { page },
  testInfo,
) => {
  const own = OWN_SYSTEM[testInfo.project.name];
  expect(own, `no cell assigned to project ${testInfo.project.name}`).toBeDefined();

  await signIn(page, 'ward_cio');
  await importCsv(page, fixture(own.fixture));
  await expect(importedHeading(page)).toBeVisible();
  await expect(notImportedHeading(page)).toHaveCount(0);
  await expectNoAxeViolations(page);

  await open(page, '/standardization');
  const cell = matrixCell(page, '131164', own.system);
  await expect(cell).toContainText('作業中');
  await expect(cell).toContainText('32.5%');

  await switchLanguage(page, 'en');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await open(page, '/standardization');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(matrixCell(page, '131164', own.system)).toContainText('In progress');
  await expect(matrixCell(page, '131164', own.system)).toContainText('32.5%');
});

test("a CIO cannot import another municipality's row; nothing is written", async ({ page }) => {
  await signIn(page, 'ward_cio');
  const before = await readMatrixCell(page, '131016', 'resident_registry');

  await importCsv(page, fixture('chiyoda_for_ward_cio_utf8_bom.csv'));
  await expect(notImportedHeading(page)).toBeVisible();
  await expect(importedHeading(page)).toHaveCount(0);
  const errors = await importErrors(page);
  expect(errorLines(errors)).toEqual([2]);

  const after = await readMatrixCell(page, '131016', 'resident_registry');
  expect(after).toBe(before);
  expect(after).not.toContain('92.5%');
});

test('the Tokyo officer gets every error of a bad file by line and column; nothing is written', async ({ page }) => {
  await signIn(page, 'tokyo_officer');
  // Line 2 of the file is valid (131016 × 住民基本台帳 → 作業中 20 steps) but must not be written.
  const before = await readMatrixCell(page, '131016', 'resident_registry');

  await importCsv(page, fixture('progress_errors.csv'));
  await expect(notImportedHeading(page)).toBeVisible();
  const errors = await importErrors(page);
  expect(errorLines(errors)).toEqual([3, 4, 5]);
  const byLine = (line: number) => errors.filter((e) => e.line === line).map((e) => e.text).join(' | ');
  expect(byLine(3)).toContain('団体コード'); // 131017: wrong check digit
  expect(byLine(4)).toContain('業務'); // 存在しない業務
  expect(byLine(5)).toContain('完了ステップ数'); // 41 > 40

  expect(await readMatrixCell(page, '131016', 'resident_registry')).toBe(before);
});

test('the Tokyo officer imports a Shift_JIS (CP932) file written by Excel', async ({ page }) => {
  await signIn(page, 'tokyo_officer');
  await importCsv(page, fixture('tokyo_officer_cp932.csv'));
  await expect(importedHeading(page)).toBeVisible();
  await expect(notImportedHeading(page)).toHaveCount(0);

  await open(page, '/standardization');
  // 13201 is completed to 132012 (八王子市); 戸籍附票 = 戸籍の附票; ２０ / ５０％ are NFKC-normalised.
  const hachioji = matrixCell(page, '132012', 'family_register_annex');
  await expect(hachioji).toContainText('作業中');
  await expect(hachioji).toContainText(/50(\.0)?%/);
  // 子ども子育て支援 = 子ども・子育て支援
  await expect(matrixCell(page, '132047', 'child_and_childcare_support')).toContainText('62.5%');
  await expect(matrixCell(page, '133612', 'national_health_insurance')).toContainText('移行完了');
  // 住民記録 = 住民基本台帳, with 特定移行支援 (marked 特)
  const hinohara = matrixCell(page, '133078', 'resident_registry');
  await expect(hinohara).toContainText('作業中');
  await expect(hinohara).toContainText(/20(\.0)?%/);
  await expect(hinohara).toContainText('特');
});
