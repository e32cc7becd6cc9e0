/**
 * The page shell: language, skip link, navigation, sign-in and sign-out, 404.
 */
import { expect, test } from '@playwright/test';
import { PERSONAS, open, signIn, signOutButton, switchLanguage } from '../helpers';

/** The navigation when signed out; "Import" is offered by role (polish.spec.ts). */
const NAV_JA = [
  ['ホーム', '/'],
  ['団体', '/orgs'],
  ['標準化', '/standardization'],
] as const;

const NAV_EN = [
  ['Home', '/'],
  ['Organisations', '/orgs'],
  ['Standardization', '/standardization'],
] as const;

test('pages are Japanese by default, with a skip link, a main landmark and the navigation', async ({ page }) => {
  await open(page, '/orgs');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');

  const skip = page.getByRole('link', { name: '本文へスキップ' });
  await expect(skip).toHaveAttribute('href', '#main');
  await expect(page.locator('main#main')).toHaveCount(1);
  // The skip link is the first thing a keyboard user reaches.
  await page.keyboard.press('Tab');
  await expect(skip).toBeFocused();

  for (const [name, href] of NAV_JA) {
    await expect(page.getByRole('link', { name, exact: true }).first()).toHaveAttribute('href', href);
  }
  await expect(page.locator('button[name="lang"]')).toHaveText(/English/);
  await expect(page.locator('button[name="lang"]')).toHaveAttribute('value', 'en');
});

test('the language switch turns the page into English, stays on the page and is remembered', async ({ page }) => {
  await open(page, '/orgs');
  await switchLanguage(page, 'en');

  await expect(page).toHaveURL(/\/orgs\??$/);
  await expect(page.getByRole('link', { name: 'Skip to main content' })).toHaveAttribute('href', '#main');
  for (const [name, href] of NAV_EN) {
    await expect(page.getByRole('link', { name, exact: true }).first()).toHaveAttribute('href', href);
  }
  await expect(page.locator('button[name="lang"]')).toHaveText(/日本語/);

  // A fresh page load still comes in English (the choice lives in a cookie).
  await open(page, '/standardization');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');

  await switchLanguage(page, 'ja');
  await expect(page).toHaveURL(/\/standardization\??$/);
  await open(page, '/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
});

test('the sign-in page offers one button per demo persona', async ({ page }) => {
  await open(page, '/login');
  const buttons = page.locator('form button[name="persona"]');
  await expect(buttons).toHaveCount(PERSONAS.length);
  const values = await buttons.evaluateAll((els) => els.map((el) => el.getAttribute('value')));
  expect([...values].sort()).toEqual([...PERSONAS].sort());
  await expect(page.getByRole('button', { name: /豊島区/ })).toBeVisible();
});

test('signing in shows the user and organisation in the header; signing out removes them', async ({ page }) => {
  await signIn(page, 'ward_cio');
  await expect(page.locator('header')).toContainText('豊島区');
  await expect(signOutButton(page)).toHaveText(/サインアウト/);

  await signOutButton(page).click();
  await expect(signOutButton(page)).toHaveCount(0);
  await expect(page.locator('header')).not.toContainText('豊島区');
  await open(page, '/');
  await expect(signOutButton(page)).toHaveCount(0);
});

test('home shows the signed-in organisation and its 20 systems', async ({ page }) => {
  await signIn(page, 'ward_cio');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('豊島区');
  const systems = page.locator('main table').filter({ hasText: '住民基本台帳' }).first();
  await expect(systems.locator('tbody tr')).toHaveCount(20);
  await expect(systems).toContainText('戸籍の附票');
  await expect(systems).toContainText(/未着手|作業中|移行完了/);
});

test('other personas see their own organisation', async ({ page }) => {
  await signIn(page, 'city_staff');
  await expect(page.locator('header')).toContainText('八王子市');
  await signOutButton(page).click();
  await expect(signOutButton(page)).toHaveCount(0);

  await signIn(page, 'town_staff');
  await expect(page.locator('header')).toContainText('瑞穂町');
});

test('an unknown page answers 404 with a message', async ({ page }) => {
  const response = await open(page, '/no-such-page');
  expect(response?.status()).toBe(404);
  await expect(page.locator('main')).toContainText('ページが見つかりません');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
});

test('with JavaScript a POST form already on its way is not sent again', async ({ page, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, 'the guard is the page script; without it the browser sends every submission');
  await open(page, '/orgs');
  const posts: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST') posts.push(request.url());
  });
  const form = page.locator('form[action="/api/set_language"]');
  await expect(form).not.toHaveAttribute('aria-busy', 'true');
  // Two submissions in a row, as a double click or a second Enter would make them.
  await form.evaluate((f: HTMLFormElement) => {
    const button = f.querySelector('button');
    f.requestSubmit(button);
    f.requestSubmit(button);
  });
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page).toHaveURL(/\/orgs\??$/);
  expect(posts.filter((url) => url.endsWith('/api/set_language'))).toHaveLength(1);
});
