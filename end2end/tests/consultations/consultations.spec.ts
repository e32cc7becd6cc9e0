import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations, open, signIn, switchLanguage, waitReady } from '../helpers';
import { submit, subject, switchTo } from './common';

/**
 * Consultations end to end: municipal staff book a free slot of a GovTech Tokyo advisor and
 * cancel it; a step thread of the tracker opens the booking form with the step linked; an
 * advisor who confirms by hand confirms a request; the advisor records a held session and the
 * requester rates it once. The pages pass axe in Japanese and English, with and without
 * JavaScript.
 */

/** The demo advisor (signed in on `page`) turns automatic confirmation on or off in their settings. */
async function setAutoConfirm(page: Page, on: boolean) {
  await open(page, '/consultations/profile');
  const box = page.locator('#auto_confirm');
  await box.setChecked(on);
  await submit(page, '保存する', (url) => url.pathname === '/consultations/profile' && url.searchParams.get('saved') === '1');
  await expect(page.locator('main [role="status"]')).toHaveText('設定を保存しました。');
  await expect(page.locator('#auto_confirm')).toBeChecked({ checked: on });
}

/** The demo advisor signed in as `govtech_advisor` (`demo_govtech_advisor`) and their name. */
const ADVISOR = 'demo_govtech_advisor';
const ADVISOR_NAME = 'デモ GovTech東京 アドバイザー';
/** The demo's session that already took place (city_staff with the demo advisor, confirmed). */
const HELD = '/consultations/bookings/demoheldsession';

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

test('city staff ask an advisor about a tracker step, and the advisor confirms the request', async ({ page }) => {
  test.setTimeout(180_000);
  const name = subject('手順2の進め方の相談');
  // The demo advisor confirms by hand for this test (they confirm automatically otherwise).
  await signIn(page, 'govtech_advisor');
  await setAutoConfirm(page, false);
  try {
    // 八王子市 staff ask from the step thread of their own record, choosing the advisor.
    await switchTo(page, 'city_staff');
    await open(page, '/standardization/records/132012/resident_registry/steps/2');
    await page.getByRole('link', { name: 'この手順についてアドバイザーに相談する' }).click();
    await page.waitForURL(
      (url) =>
        url.pathname === '/consultations' &&
        url.searchParams.get('record') === '132012_resident_registry' &&
        url.searchParams.get('step') === '2',
    );
    await waitReady(page);
    await expect(page.getByText('関連する移行記録: 132012_resident_registry · 手順2')).toBeVisible();
    await page.locator('select[name="advisor"]').selectOption(ADVISOR);
    await submit(page, '空き枠を表示', (url) => url.searchParams.get('advisor') === ADVISOR);
    // Only the chosen advisor's card, and the step still linked.
    await expect(page.locator('main ul.cards > li')).toHaveCount(1);
    await expect(page.locator('main ul.cards > li h3')).toContainText(ADVISOR_NAME);
    await expect(page.getByText('関連する移行記録: 132012_resident_registry · 手順2')).toBeVisible();
    await expect(page.locator('select[name="advisor"]')).toHaveValue(ADVISOR);
    await expectNoAxeViolations(page);
    await page.locator('input[name="start"]').first().check();
    await page.locator('#subject').fill(name);
    await page.locator('#description').fill('手順2の**庁内調整**の進め方を相談したいです。');
    await submit(page, '申し込む', (url) => url.searchParams.get('booked') === '1');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
    await expect(page.locator('main [role="status"]')).toHaveText('相談を申し込みました。');
    // The advisor confirms by hand: a request, not yet confirmed; the requester cannot confirm it.
    await expect(page.locator('main .badge').first()).toHaveText('申込中');
    await expect(page.locator('main dl.facts')).toContainText(ADVISOR_NAME);
    await expect(page.getByRole('link', { name: '132012_resident_registry · 手順2' })).toBeVisible();
    await expect(page.getByRole('button', { name: '確定する' })).toHaveCount(0);
    await expectNoAxeViolations(page);
    const bookingUrl = new URL(page.url()).pathname;

    // The advisor finds it among their consultations and confirms it.
    await switchTo(page, 'govtech_advisor');
    await open(page, '/consultations/bookings');
    const row = page.locator('main tbody tr').filter({ has: page.getByRole('link', { name }) });
    await expect(row).toContainText('申込中');
    await expect(row).toContainText('八王子 太郎（八王子市職員・デモ）');
    await row.getByRole('link', { name }).click();
    await page.waitForURL((url) => url.pathname === bookingUrl);
    await waitReady(page);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
    await expect(page.locator('main .badge').first()).toHaveText('申込中');
    await expectNoAxeViolations(page);
    await submit(page, '確定する', (url) => url.pathname === bookingUrl && url.searchParams.get('changed') === '1');
    await expect(page.locator('main [role="status"]')).toHaveText('相談を更新しました。');
    await expect(page.locator('main .badge').first()).toHaveText('確定');
    await expect(page.getByRole('button', { name: '確定する' })).toHaveCount(0);
    await expect(page.getByRole('heading', { name: '相談の記録' })).toBeVisible();
    await expectNoAxeViolations(page);

    // It cannot be recorded as held before it starts.
    await page.locator('#summary').fill('まだ始まっていません。');
    await submit(page, '実施済みとして記録', (url) => url.pathname === bookingUrl && url.searchParams.has('form_error'));
    await expect(page.getByText('相談の開始前には記録できません。')).toBeVisible();
    await expect(page.locator('main .badge').first()).toHaveText('確定');

    // In English.
    await switchLanguage(page, 'en');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
    await expect(page.locator('main .badge').first()).toHaveText('Confirmed');
    await expect(page.getByRole('heading', { name: 'Record the session' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Record as held' })).toBeVisible();
    await expectNoAxeViolations(page);

    // The requester sees it confirmed.
    await switchTo(page, 'city_staff');
    await open(page, bookingUrl);
    await expect(page.locator('main .badge').first()).toHaveText('確定');
    await expect(page.getByRole('button', { name: '実施済みとして記録' })).toHaveCount(0);
  } finally {
    await switchTo(page, 'govtech_advisor');
    await setAutoConfirm(page, true);
  }
});

test('the advisor records a held session, and the staff member rates it once', async ({ page }) => {
  test.setTimeout(180_000);
  // The advisor opens the demo's past session, still waiting for its record.
  await signIn(page, 'govtech_advisor');
  await open(page, HELD);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('住民記録システムの移行計画の相談（デモ）');
  await expect(page.locator('main .badge').first()).toHaveText('確定');
  await expect(page.getByRole('heading', { name: '相談の記録' })).toBeVisible();
  await expect(page.getByRole('button', { name: '実施済みとして記録' })).toBeVisible();
  await expectNoAxeViolations(page);

  // A record needs a summary.
  await submit(page, '実施済みとして記録', (url) => url.pathname === HELD && url.searchParams.has('form_error'));
  await expect(page.getByText('相談の記録（概要）を10,000文字以内で入力してください。')).toBeVisible();
  await expect(page.locator('main .badge').first()).toHaveText('確定');
  await expectNoAxeViolations(page);

  await page.locator('#summary').fill('**移行スケジュール**と庁内の体制を確認しました。');
  await page.locator('#follow_ups').fill('ベンダーに移行費用の見積りを依頼する');
  await submit(page, '実施済みとして記録', (url) => url.pathname === HELD && url.searchParams.get('changed') === '1');
  await expect(page.locator('main [role="status"]')).toHaveText('相談を更新しました。');
  await expect(page.locator('main .badge').first()).toHaveText('完了');
  await expect(page.locator('main .markdown strong', { hasText: '移行スケジュール' })).toBeVisible();
  await expect(page.getByRole('heading', { name: '今後の対応' })).toBeVisible();
  await expect(page.getByText('ベンダーに移行費用の見積りを依頼する')).toBeVisible();
  // Recorded once: no record, no-show or cancel forms any more, and the advisor does not rate.
  await expect(page.getByRole('button', { name: '実施済みとして記録' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: '欠席として記録' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: '相談を取り消す' })).toHaveCount(0);
  await expect(page.locator('input[name="rating"]')).toHaveCount(0);
  await expectNoAxeViolations(page);

  // The staff member who booked it sees the record and rates it, in English.
  await switchTo(page, 'city_staff');
  await open(page, HELD);
  await expect(page.locator('main .badge').first()).toHaveText('完了');
  await expect(page.getByText('ベンダーに移行費用の見積りを依頼する')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'この相談を評価する' })).toBeVisible();
  await expect(page.locator('input[name="rating"]')).toHaveCount(5);
  await expectNoAxeViolations(page);
  await switchLanguage(page, 'en');
  await expect(page.getByRole('heading', { name: 'Rate this consultation' })).toBeVisible();
  await expect(page.locator('main .badge').first()).toHaveText('Completed');
  await expectNoAxeViolations(page);
  await page.locator('#rating-4').check();
  await page.locator('#comment').fill('Clear and practical advice.');
  await submit(page, 'Send the rating', (url) => url.pathname === HELD && url.searchParams.get('changed') === '1');
  await expect(page.locator('main [role="status"]')).toHaveText('The consultation is updated.');
  await expect(page.getByText('Rating: 4 / 5 — Clear and practical advice.')).toBeVisible();
  await expect(page.locator('input[name="rating"]')).toHaveCount(0);
  await expectNoAxeViolations(page);
  await switchLanguage(page, 'ja');
  await expect(page.getByText('評価: 4 / 5 — Clear and practical advice.')).toBeVisible();

  // Once: a second rating sent by hand is refused, and the first one stays.
  const again = await page.request.post('/api/rate_booking', {
    form: { id: 'demoheldsession', rating: '1', comment: 'もう一度' },
    maxRedirects: 0,
  });
  expect(again.status()).toBe(400);
  await open(page, HELD);
  await expect(page.getByText('評価: 4 / 5 — Clear and practical advice.')).toBeVisible();
  await expect(page.getByText('もう一度')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'この相談を評価する' })).toHaveCount(0);

  // The advisor sees the rating too.
  await switchTo(page, 'govtech_advisor');
  await open(page, HELD);
  await expect(page.getByText('評価: 4 / 5 — Clear and practical advice.')).toBeVisible();
});
