import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations, open, signIn, switchLanguage, waitReady } from '../helpers';
import { submit, subject, switchTo } from './common';

/**
 * Consultations beyond the first booking: moving a session to another slot, the private calendar
 * feed, 伴走 (accompanying support) cases with their next session and thread, the advisor's week
 * and day, and GovTech Tokyo's overview with its CSV. Japanese and English, axe on each page,
 * with and without JavaScript.
 */

/** Books the first free slot of the demo advisor on `topic`; the booking page's path. */
async function bookFirstSlot(page: Page, topic: string, name: string): Promise<string> {
  await open(page, `/consultations?topic=${topic}&advisor=demo_govtech_advisor`);
  await page.locator('input[name="start"]').first().check();
  await page.locator('#subject').fill(name);
  await submit(page, '申し込む', (url) => url.searchParams.get('booked') === '1');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  return new URL(page.url()).pathname;
}

test('staff move a booking to another slot, and make, use and stop a calendar feed', async ({ page }) => {
  test.setTimeout(120_000);
  const name = subject('ガバメントクラウドの回線設計');
  await signIn(page, 'city_staff');
  const booking = await bookFirstSlot(page, 'government_cloud', name);
  const before = await page.locator('.facts dd').first().textContent();

  await page.getByRole('link', { name: '変更できる日時を表示' }).click();
  await page.waitForURL((url) => url.searchParams.get('reschedule') === '1');
  await waitReady(page);
  await expect(page.getByRole('heading', { name: '日時の変更' })).toBeVisible();
  await expectNoAxeViolations(page);
  // The second offered slot (the first is the booking's own time, counted as free).
  await page.locator('input[name="start"]').nth(1).check();
  await submit(page, '日時を変更する', (url) => url.pathname === booking && url.searchParams.get('changed') === '1');
  await expect(page.locator('main [role="status"]')).toHaveText('相談を更新しました。');
  await expect(page.locator('.facts dd').first()).not.toHaveText(before ?? '');
  await expect(page.locator('main .badge').first()).toHaveText('確定');

  // The calendar feed: its address is shown once, works without a session, and stops.
  await open(page, '/consultations/bookings');
  await expect(page.getByRole('heading', { name: 'カレンダーで購読' })).toBeVisible();
  await submit(page, '購読用アドレスを発行', (url) => url.searchParams.get('feed') === '1');
  const url = await page.locator('#feed-url').inputValue();
  expect(url).toMatch(/\/consultations\/feed\/[0-9a-f]{64}\/kyodo\.ics$/);
  await expectNoAxeViolations(page);
  const path = new URL(url).pathname;
  const feed = await page.request.get(path, { headers: { cookie: '' } });
  expect(feed.status()).toBe(200);
  const ics = await feed.text();
  expect(ics).toContain('BEGIN:VCALENDAR');
  expect(ics).toContain(`UID:booking-${booking.split('/').pop()}@kyodo`);
  await open(page, '/consultations/bookings');
  await expect(page.locator('#feed-url')).toHaveCount(0);
  await expect(page.getByText(/購読用アドレスは発行済みです/)).toBeVisible();
  await switchLanguage(page, 'en');
  await expect(page.getByRole('heading', { name: 'Calendar subscription' })).toBeVisible();
  await expectNoAxeViolations(page);
  await switchLanguage(page, 'ja');
  await submit(page, '購読を停止', (url) => url.searchParams.get('feed') === '0');
  expect((await page.request.get(path)).status()).toBe(404);
});

test('the advisor turns a held session into accompanying support, and staff book its next session and post', async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, 'govtech_advisor');
  await open(page, '/consultations/bookings/demoheldsession');
  await expect(page.getByRole('heading', { name: '伴走支援にする' })).toBeVisible();
  await page.locator('#title').fill(subject('住基移行の伴走支援'));
  await page.locator('#goal').fill('**年度内**に移行計画を確定する');
  await submit(page, '伴走支援を始める', (url) => url.pathname.startsWith('/consultations/engagements/'));
  const engagement = new URL(page.url()).pathname;
  await expect(page.locator('main [role="status"]')).toHaveText('伴走支援を始めました。');
  await expect(page.locator('main .badge').first()).toHaveText('支援中');
  await expect(page.locator('main .markdown strong').first()).toHaveText('年度内');
  await expectNoAxeViolations(page);

  // 八王子市 staff book the next session into the case, with the case's advisor.
  await switchTo(page, 'city_staff');
  await open(page, engagement);
  await page.getByRole('link', { name: '次回の相談を申し込む' }).click();
  await page.waitForURL((url) => url.pathname === '/consultations' && url.searchParams.has('engagement'));
  await waitReady(page);
  await expect(page.getByText('伴走支援の次回の相談として申し込みます。')).toBeVisible();
  await page.locator('input[name="start"]').first().check();
  await page.locator('#subject').fill(subject('2回目: 移行計画のレビュー'));
  await submit(page, '申し込む', (url) => url.searchParams.get('booked') === '1');
  await expect(page.getByText('この相談は伴走支援の一部です:')).toBeVisible();
  await expect(page.locator('main p').filter({ hasText: '伴走サポート' }).first()).toBeVisible();

  // The case lists both sessions; a post appears in its thread.
  await open(page, engagement);
  await expect(page.locator('main ol.schedule li')).toHaveCount(2);
  await page.locator('#body').fill('移行計画の**ドラフト**を共有します。');
  await submit(page, '投稿する', (url) => url.searchParams.get('posted') === '1');
  await expect(page.locator('ol.comments li strong').last()).toHaveText('ドラフト');
  await switchLanguage(page, 'en');
  await expect(page.getByRole('heading', { name: 'Goal' })).toBeVisible();
  await expectNoAxeViolations(page);
  await switchLanguage(page, 'ja');
});

test('the advisor sees their week and day, and GovTech Tokyo the overview and its CSV', async ({ page }) => {
  await signIn(page, 'govtech_advisor');
  await open(page, '/consultations/bookings');
  await page.getByRole('link', { name: '自分の予定（週・日）' }).click();
  await page.waitForURL((url) => url.pathname === '/consultations/schedule');
  await waitReady(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('相談の予定');
  await expect(page.locator('section.schedule-day')).toHaveCount(7);
  await expectNoAxeViolations(page);
  await page.getByRole('link', { name: '日表示' }).click();
  await page.waitForURL((url) => url.searchParams.get('days') === '1');
  await waitReady(page);
  await expect(page.locator('section.schedule-day')).toHaveCount(1);
  await page.getByRole('link', { name: '前の日' }).click();
  await page.waitForURL((url) => url.searchParams.get('days') === '1' && url.searchParams.has('date'));
  await waitReady(page);

  await open(page, '/consultations/bookings');
  await page.getByRole('link', { name: /相談の実績/ }).click();
  await page.waitForURL((url) => url.pathname === '/consultations/overview');
  await waitReady(page);
  await expect(page.getByRole('heading', { level: 2, name: '相談分野別' })).toBeVisible();
  await expect(page.locator('main table').first().locator('tbody tr').first()).toBeVisible();
  await expectNoAxeViolations(page);
  await switchLanguage(page, 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Consultations overview');
  await expectNoAxeViolations(page);
  await switchLanguage(page, 'ja');
  const csv = await page.request.get('/consultations/overview.csv');
  expect(csv.status()).toBe(200);
  expect(csv.headers()['content-type']).toContain('text/csv');
  expect(await csv.text()).toContain('月,開始日時,相談分野コード');

  // Municipal staff have no overview.
  await switchTo(page, 'city_staff');
  expect((await page.request.get('/consultations/overview.csv')).status()).toBe(403);
});
