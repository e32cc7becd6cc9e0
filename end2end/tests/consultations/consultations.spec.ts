import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations, jsEnabled, open, signIn, switchLanguage, waitReady } from '../helpers';

/**
 * Consultations end to end: municipal staff book a free slot of a GovTech Tokyo advisor and
 * cancel it; a step thread of the tracker opens the booking form with the step linked. The
 * pages pass axe in Japanese and English, with and without JavaScript.
 */

function subject(what: string): string {
  return `${what} (${jsEnabled() ? 'hydrated' : 'no-js'} ${Date.now().toString(36)})`;
}

async function submit(page: Page, button: string, done: (url: URL) => boolean) {
  await page.getByRole('button', { name: button }).click();
  await page.waitForURL(done);
  await waitReady(page);
}

test('municipal staff book a free slot, see it confirmed as requested, and cancel it', async ({ page }) => {
  const name = subject('クラウド移行のセキュリティ相談');
  await signIn(page, 'city_staff');
  await open(page, '/consultations');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('相談（人材シェアリング）');
  await expectNoAxeViolations(page);
  await page.getByLabel('相談分野').selectOption('security');
  await submit(page, '空き枠を表示', (url) => url.searchParams.get('topic') === 'security');
  const slot = page.locator('input[name="start"]').first();
  await expect(slot).toBeVisible();
  const label = (await page.locator(`label[for="${await slot.getAttribute('id')}"]`).textContent()) ?? '';
  expect(label).toMatch(/\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}–\d{2}:\d{2}（1名）/);
  await expectNoAxeViolations(page);
  await slot.check();
  await page.locator('#subject').fill(name);
  await page.locator('#description').fill('**閉域接続**の要件について相談したいです。');
  await submit(page, '申し込む', (url) => url.searchParams.get('booked') === '1');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  await expect(page.locator('main [role="status"]')).toHaveText('相談を申し込みました。');
  await expect(page.locator('main .badge').first()).toHaveText('申込中');
  await expect(page.locator('main .markdown strong')).toHaveText('閉域接続');
  await expectNoAxeViolations(page);
  const bookingUrl = new URL(page.url()).pathname;

  // The list shows it; English works too.
  await open(page, '/consultations/bookings');
  await expect(page.getByRole('link', { name })).toBeVisible();
  await switchLanguage(page, 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Consultations');
  await expectNoAxeViolations(page);
  await switchLanguage(page, 'ja');

  // Cancel with a reason; the slot is offered again.
  await open(page, bookingUrl);
  await page.locator('#reason').fill('庁内の日程が変わりました');
  await submit(page, '相談を取り消す', (url) => url.searchParams.get('changed') === '1');
  await expect(page.locator('main .badge').first()).toHaveText('取消');
  await expect(page.getByText('庁内の日程が変わりました')).toBeVisible();
});

test('a step thread asks an advisor about the step, and the booking links back to it', async ({ page }) => {
  const name = subject('手順5の進め方');
  await signIn(page, 'ward_cio');
  await open(page, '/standardization/records/131164/resident_registry/steps/5');
  await page.getByRole('link', { name: 'この手順についてアドバイザーに相談する' }).click();
  await page.waitForURL((url) => url.pathname === '/consultations' && url.searchParams.get('step') === '5');
  await waitReady(page);
  await expect(page.getByText('関連する移行記録: 131164_resident_registry · 手順5')).toBeVisible();
  await page.locator('input[name="start"]').first().check();
  await page.locator('#subject').fill(name);
  await submit(page, '申し込む', (url) => url.searchParams.get('booked') === '1');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  await page.getByRole('link', { name: '131164_resident_registry · 手順5' }).click();
  await page.waitForURL((url) => url.pathname === '/standardization/records/131164/resident_registry/steps/5');
});

test('an advisor cannot book, and says so', async ({ page }) => {
  await signIn(page, 'govtech_advisor');
  await open(page, '/consultations?topic=security');
  await expect(page.getByText('相談を申し込めるのは区市町村の職員です。')).toBeVisible();
  await expect(page.locator('input[name="start"]')).toHaveCount(0);
});

test('an advisor opens their settings, and a bad hours line is refused with its line', async ({ page }) => {
  await signIn(page, 'govtech_advisor');
  await open(page, '/consultations');
  await page.getByRole('link', { name: '自分の相談受付の設定（受付時間・分野・受付停止）' }).click();
  await page.waitForURL((url) => url.pathname === '/consultations/profile');
  await waitReady(page);
  await expect(page.locator('#time_zone')).toHaveValue('Asia/Tokyo');
  await expectNoAxeViolations(page);
  const weekly = await page.locator('#weekly').inputValue();
  await page.locator('#weekly').fill(`${weekly}\n月曜 9時から`);
  await submit(page, '保存する', (url) => url.pathname === '/consultations/profile' && url.searchParams.has('form_error'));
  await expect(page.getByText(/行目: 時刻は「10:00-12:00」の形/)).toBeVisible();
  await page.locator('#weekly').fill(weekly);
  await submit(page, '保存する', (url) => url.searchParams.get('saved') === '1');
  await expect(page.locator('main [role="status"]')).toHaveText('設定を保存しました。');
});
