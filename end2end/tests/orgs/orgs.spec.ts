/**
 * `/orgs`: the 64 organisations (62 municipalities, 東京都, GovTech東京), their filters, one organisation's page.
 */
import { expect, test } from '@playwright/test';
import { normalizeSpace, open, signIn } from '../helpers';


// Reading organisations and progress requires a signed-in user.
test.beforeEach(async ({ page }) => {
  await signIn(page, 'govtech_advisor');
});

test('lists all 64 organisations', async ({ page }) => {
  await open(page, '/orgs');
  const rows = page.locator('main table tbody tr');
  await expect(rows).toHaveCount(64);
  await expect(page.locator('main table')).toContainText('豊島区');
  await expect(page.locator('main table')).toContainText('東京都');
  await expect(page.locator('main table')).toContainText('小笠原村');
});

test('filters by kind and by text through the URL', async ({ page }) => {
  await open(page, '/orgs?kind=village');
  await expect(page.locator('main table tbody tr')).toHaveCount(8);
  await expect(page.locator('select[name="kind"]')).toHaveValue('village');

  await open(page, '/orgs?q=%E8%B1%8A%E5%B3%B6'); // 豊島
  await expect(page.locator('main table tbody tr')).toHaveCount(1);
  await expect(page.locator('main table tbody tr')).toContainText('豊島区');

  // Reading: としまく (豊島区) and としまむら (利島村) both contain としま.
  await open(page, '/orgs?q=' + encodeURIComponent('としま'));
  const rows = page.locator('main table tbody tr');
  await expect(rows.filter({ hasText: '豊島区' })).toHaveCount(1);
  for (const text of await rows.allInnerTexts()) {
    expect(normalizeSpace(text)).toMatch(/豊島区|利島村/);
  }
});

test('the filter form narrows the list', async ({ page }) => {
  await open(page, '/orgs');
  await page.locator('select[name="kind"]').selectOption('village');
  await page.locator('input[name="q"]').fill('');
  await page.locator('input[name="q"]').press('Enter');
  await expect(page).toHaveURL(/[?&]kind=village/);
  await expect(page.locator('main table tbody tr')).toHaveCount(8);

  await page.locator('select[name="kind"]').selectOption('special_ward');
  await page.locator('input[name="q"]').fill('豊島');
  await page.locator('input[name="q"]').press('Enter');
  await expect(page).toHaveURL(/[?&]kind=special_ward/);
  await expect(page.locator('main table tbody tr')).toHaveCount(1);
  await expect(page.locator('main table tbody tr')).toContainText('豊島区');
});

test('an organisation page shows the organisation and its 20-system progress', async ({ page }) => {
  await open(page, '/orgs/131164');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('豊島区');
  await expect(page.locator('main [data-cell^="131164-"]')).toHaveCount(20);
  await expect(page.locator('main [data-cell="131164-resident_registry"]')).toContainText(
    /未着手|作業中|移行完了/,
  );
});
