/**
 * `/standardization`: the 62 municipalities × 20 systems progress matrix.
 */
import { expect, test } from '@playwright/test';
import { matrixCell, open, signIn } from '../helpers';

const STATUS_JA = /未着手|作業中 ?\d+(\.\d+)? ?%|移行完了/;
const TOWNS = ['133035', '133051', '133086', '133612', '134015'];


// Reading organisations and progress requires a signed-in user.
test.beforeEach(async ({ page }) => {
  await signIn(page, 'tokyo_officer');
});

test('shows 62 municipalities × 20 systems with a status in every cell and a summary row', async ({ page }) => {
  await open(page, '/standardization');
  const rows = page.locator('main tbody tr[data-lg-code]');
  await expect(rows).toHaveCount(62);
  await expect(page.locator('main td[data-cell]')).toHaveCount(62 * 20);
  await expect(rows.first().locator('td[data-cell]')).toHaveCount(20);
  await expect(page.locator('main tbody tr[data-lg-code="130001"]')).toHaveCount(0);

  const texts = await page.locator('main td[data-cell]').allInnerTexts();
  const odd = texts.filter((t) => !STATUS_JA.test(t.replace(/\s+/g, ' ')));
  expect(odd, 'cells without a status').toEqual([]);

  await expect(matrixCell(page, '131164', 'resident_registry')).toHaveCount(1);
  await expect(matrixCell(page, '134210', 'family_register_annex')).toHaveCount(1);
  await expect(page.locator('main table tfoot tr').first()).toBeVisible();
});

test('filters by kind', async ({ page }) => {
  await open(page, '/standardization?kind=town');
  const rows = page.locator('main tbody tr[data-lg-code]');
  await expect(rows).toHaveCount(5);
  const codes = await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-lg-code')));
  expect([...codes].sort()).toEqual(TOWNS);
});

// The table is rendered by the server and placed as it came (not hydrated): filtering,
// ordering and following a cell still work, in the browser (hydrated) and as plain HTML.
test('filters, orders and follows a cell of the server-rendered table', async ({ page }) => {
  await open(page, '/standardization');
  await expect(page.locator('main td[data-cell]')).toHaveCount(62 * 20);
  const form = page.locator('main form.filters');
  await form.locator('select[name="kind"]').selectOption('town');
  await form.locator('select[name="sort"]').selectOption('progress_desc');
  await form.getByRole('button', { name: '絞り込む' }).click();
  await expect(page).toHaveURL(/kind=town/);
  await expect(page).toHaveURL(/sort=progress_desc/);
  const rows = page.locator('main tbody tr[data-lg-code]');
  await expect(rows).toHaveCount(5);
  const means = (await page.locator('main tbody td.mean').allInnerTexts()).map((t) => parseFloat(t));
  expect(means).toEqual([...means].sort((a, b) => b - a));
  await page.locator('main td[data-cell="133035-resident_registry"] a').click();
  await expect(page).toHaveURL(/\/standardization\/records\/133035\/resident_registry$/);
  await expect(page.locator('main h1')).toBeVisible();
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('the page does not scroll sideways; the matrix scrolls in its own container', async ({ page }) => {
    await open(page, '/standardization');
    const table = page.locator('main table:has(tbody tr[data-lg-code])');
    await expect(table).toBeVisible();

    const page_ = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
      bodyScrollWidth: document.body.scrollWidth,
    }));
    expect(page_.scrollWidth, 'document scroll width').toBeLessThanOrEqual(page_.clientWidth);
    expect(page_.bodyScrollWidth, 'body scroll width').toBeLessThanOrEqual(page_.clientWidth);

    const container = await table.evaluate((el) => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const overflowX = getComputedStyle(p).overflowX;
        if (overflowX === 'auto' || overflowX === 'scroll') {
          return { overflowX, clientWidth: p.clientWidth, scrollWidth: p.scrollWidth };
        }
      }
      return null;
    });
    expect(container, 'an ancestor of the matrix with overflow-x: auto').not.toBeNull();
    expect(container!.overflowX).toBe('auto');
    expect(container!.clientWidth).toBeLessThanOrEqual(390);
  });
});
