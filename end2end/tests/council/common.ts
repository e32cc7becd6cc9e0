/**
 * Shared steps of the council specs: unique names, form submission, facts, and the
 * secretariat's meeting steps (schedule, agenda, 議事要旨) that more than one test needs.
 *
 * Every form of the council pages is a plain `<form method="post" action="/api/<name>">` whose
 * server function redirects to the page with a flag (`?created=1`, …), so the same steps work
 * with JavaScript (`hydrated`) and without (`no-js`).
 */
import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { jsEnabled, open, signIn, waitReady, type Persona } from '../helpers';

/** The demo council (`workspace:council`) and its name. */
export const COUNCIL = '/council/council';
export const COUNCIL_NAME = '都・区市町村CIO協議会';

/** The demo's pinned topic in the council. */
export const DEMO_TOPIC = '/council/topics/demotopic1';
export const DEMO_TOPIC_TITLE = '住民記録システムの移行スケジュール';

/**
 * A tag unique to this test run and project (e.g. `hydrated lq3x9k2a7f`), for titles and
 * texts that the test must find again and that nothing else contains.
 */
export function tag(): string {
  const random = Math.random().toString(36).slice(2, 6);
  return `${jsEnabled() ? 'hydrated' : 'no-js'} ${Date.now().toString(36)}${random}`;
}

/** The date (`YYYY-MM-DD`) in Japan `days` from now, for `datetime-local` values. */
export function jstDate(days: number): string {
  return new Date(Date.now() + days * 86_400_000 + 9 * 3_600_000).toISOString().slice(0, 10);
}

/** The form of the current page that posts to server function `name`. */
export function form(page: Page, name: string): Locator {
  return page.locator(`main form[action="/api/${name}"]`);
}

/**
 * Presses the button `button` (its exact name) of `inside` (a form) and waits for the new page:
 * its load (a form POST always loads a document, also when the redirect lands on the same
 * address as before), then an address that `done` accepts, then hydration.
 */
export async function submit(inside: Locator, button: string, done: (url: URL) => boolean): Promise<void> {
  const page = inside.page();
  const loaded = page.waitForEvent('load');
  await inside.getByRole('button', { name: button, exact: true }).click();
  await loaded;
  await page.waitForURL(done);
  await waitReady(page);
}

/** A redirect's test: the path matches `path` and the flag `flag` is `1`. */
export function landed(path: RegExp | string, flag: string): (url: URL) => boolean {
  return (url) =>
    (typeof path === 'string' ? url.pathname === path : path.test(url.pathname)) &&
    url.searchParams.get(flag) === '1';
}

/** The success notice of a page (`<div class="notice success" role="status">`). */
export function notice(page: Page): Locator {
  return page.locator('main [role="status"]');
}

/** The page's `<h1>`. */
export function heading(page: Page): Locator {
  return page.getByRole('heading', { level: 1 });
}

/** The value (`<dd>`) of the fact `term` (`<dt>`, exactly that text) in the page's `dl.facts`. */
export function fact(page: Page, term: string): Locator {
  return page
    .locator('main dl.facts > dt')
    .filter({ hasText: new RegExp(`^\\s*${escapeRegExp(term)}\\s*$`) })
    .locator('xpath=following-sibling::dd[1]');
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The path of the current page. */
export function here(page: Page): string {
  return new URL(page.url()).pathname;
}

/** Signs out (clears the cookies, the language cookie too) and signs in as `persona`. */
export async function switchTo(page: Page, persona: Persona): Promise<void> {
  await page.context().clearCookies();
  await signIn(page, persona);
}

/**
 * A page in a new browser context with no cookies (signed out), like the project's: JavaScript
 * on or off, Japanese, Japan time. Close it with `page.context().close()`.
 */
export async function signedOutPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({
    baseURL: test.info().project.use.baseURL ?? process.env.KYODO_BASE_URL ?? 'http://127.0.0.1:3000',
    javaScriptEnabled: jsEnabled(),
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
  });
  return context.newPage();
}

/**
 * The secretariat (signed in on `page`) schedules a meeting of the council on `day`
 * (`YYYY-MM-DD`, Japan time) from 14:00 to 16:00 and lands on it; returns its path.
 */
export async function scheduleMeeting(page: Page, title: string, day: string): Promise<string> {
  await open(page, COUNCIL);
  await expect(heading(page)).toHaveText(COUNCIL_NAME);
  const meeting = form(page, 'create_meeting');
  await meeting.getByLabel('会議名').fill(title);
  await meeting.getByLabel('開始（日本時間）').fill(`${day}T14:00`);
  await meeting.getByLabel('終了（日本時間）').fill(`${day}T16:00`);
  await meeting.getByLabel('場所', { exact: true }).fill('東京都庁 第一本庁舎 42階会議室');
  await submit(meeting, '登録する', landed(/^\/council\/meetings\/[^/]+$/, 'created'));
  await expect(heading(page)).toHaveText(title);
  await expect(notice(page)).toHaveText('会議を登録しました。');
  return here(page);
}

/** An agenda item of the meeting on `page`, found by its title. */
export function agendaItem(page: Page, title: string): Locator {
  return page.locator('main ol.agenda > li').filter({
    has: page.getByRole('heading', { level: 3, name: title }),
  });
}

/**
 * The secretariat adds an agenda item to the meeting on `page`: 公開 when `isPublic`, 非公開
 * otherwise (the box left unticked).
 */
export async function addAgendaItem(
  page: Page,
  item: { title: string; body: string; isPublic: boolean },
): Promise<void> {
  const add = form(page, 'add_agenda_item');
  await add.getByLabel('議題', { exact: true }).fill(item.title);
  await add.getByLabel('説明（Markdown）').fill(item.body);
  await add.getByLabel('公開する（議事要旨に載せる）').setChecked(item.isPublic);
  await submit(add, '追加する', landed(/^\/council\/meetings\/[^/]+$/, 'agenda'));
  await expect(notice(page)).toHaveText('議題を追加しました。');
  await expect(agendaItem(page, item.title).locator('.badge')).toHaveText(item.isPublic ? '公開' : '非公開');
}

/** The secretariat compiles the 議事要旨 draft from the public items of the meeting on `page`. */
export async function compileSummary(page: Page): Promise<void> {
  await submit(form(page, 'compile_summary'), '公開の議題から下書きを作成', landed(here(page), 'compiled'));
  await expect(notice(page)).toHaveText('公開の議題から議事要旨の下書きを作成しました。');
}

/** The secretariat publishes the 議事要旨 draft of the meeting on `page` as it stands. */
export async function publishSummary(page: Page): Promise<void> {
  await submit(form(page, 'save_summary'), '公開する', landed(here(page), 'published'));
  await expect(notice(page)).toHaveText('議事要旨を公開しました。');
}
