import { expect, test, type Locator, type Page } from '@playwright/test';
import { expectNoAxeViolations, open, signIn, switchLanguage, waitReady } from '../helpers';
import { DEMO_TOPIC, DEMO_TOPIC_TITLE, escapeRegExp, form, heading, here, landed, notice, submit, switchTo, tag } from './common';

/**
 * The search page `/search` end to end (a GET form: キーワード `q`, 検索する; the results in
 * `ol.search-results`, each with its kind badge, a title link and a snippet whose match is in
 * `<mark>`; the count in a `role="status"` line). Demo data: the council's pinned topic
 * 住民記録システムの移行スケジュール, whose opening post asks for each 団体's
 * **住民記録システムの移行**; the private working group `wg_security` (the secretariat and 豊島区
 * CIO in person, not 八王子市). Results are server-rendered (`SsrMode::Async`), so every check
 * reads a page as loaded, with JavaScript (`hydrated`) and without (`no-js`).
 */

/** The search form (`<form role="search" action="/search">`). */
function searchForm(page: Page): Locator {
  return page.locator('main form[role="search"][action="/search"]');
}

/** The results' items. */
function hits(page: Page): Locator {
  return page.locator('main ol.search-results > li');
}

/** The count line (「…」の検索結果: N件 / N results for “…”) or the refusal notice. */
function status(page: Page): Locator {
  return page.locator('main p[role="status"]');
}

/** A word for this run only: 機密テスト and eight random letters (no digits: one index term). */
function secretWord(): string {
  const letters = Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26)));
  return `機密テスト${letters.join('')}`;
}

/** Opens `/search`, types `q` into キーワード and submits (a GET form: a full page load). */
async function search(page: Page, q: string): Promise<void> {
  await open(page, '/search');
  await expect(heading(page)).toHaveText('検索');
  await searchForm(page).getByLabel('キーワード', { exact: true }).fill(q);
  await submit(searchForm(page), '検索する', (url) => url.pathname === '/search' && url.searchParams.get('q') === q);
  await expect(heading(page)).toHaveText('検索');
  await expect(searchForm(page).getByLabel('キーワード', { exact: true })).toHaveValue(q);
}

test('a member finds the council topic by a word of its title and opens it', async ({ page }) => {
  await signIn(page, 'city_staff');
  await open(page, '/search');
  await expect(page).toHaveTitle(/^検索/);
  await expect(heading(page)).toHaveText('検索');
  // No query yet: no results, no count.
  await expect(hits(page)).toHaveCount(0);
  await expect(status(page)).toHaveCount(0);

  await search(page, '住民記録');
  await expect(status(page)).toHaveText(/^「住民記録」の検索結果: \d+件$/);

  // The topic (its title) and its opening post (its body) are both found, each linked by the
  // topic's title, the matched text marked.
  const topicLink = hits(page).getByRole('link', { name: DEMO_TOPIC_TITLE, exact: true });
  await expect(topicLink.first()).toBeVisible();
  await expect(hits(page).locator('mark', { hasText: '住民記録' }).first()).toBeVisible();
  const topicHit = hits(page)
    .filter({ has: page.locator('.badge', { hasText: '協議会の話題' }) })
    .filter({ has: page.getByRole('link', { name: DEMO_TOPIC_TITLE, exact: true }) });
  await expect(topicHit).toHaveCount(1);
  await expect(topicHit.locator('.project-meta')).toContainText('都・区市町村CIO協議会');
  await expect(topicHit.locator('.snippet mark')).toHaveText('住民記録');
  await expect(topicHit.getByRole('link')).toHaveAttribute('href', DEMO_TOPIC);
  const postHit = hits(page).filter({
    has: page.locator(`a[href="${DEMO_TOPIC}#comment-demotopicpost1"]`),
  });
  await expect(postHit).toHaveCount(1);
  await expect(postHit.locator('.badge')).toHaveText('協議会の投稿');
  await expect(postHit.getByRole('link')).toHaveText(DEMO_TOPIC_TITLE);
  await expect(postHit.locator('.snippet mark')).toHaveText('住民記録');
  await expect(postHit.locator('.snippet')).toContainText('予定を共有してください。');

  // Following the link opens the topic.
  await topicHit.getByRole('link', { name: DEMO_TOPIC_TITLE, exact: true }).click();
  await page.waitForURL((url) => url.pathname === DEMO_TOPIC);
  await waitReady(page);
  await expect(heading(page)).toHaveText(DEMO_TOPIC_TITLE);
  await expect(page.locator('main .markdown strong', { hasText: '住民記録システムの移行' }).first()).toBeVisible();
});

test('a post in a private working group is found by its members only', async ({ page }) => {
  test.setTimeout(120_000);
  const t = tag();
  const word = secretWord();
  const title = `インシデント対応手順の見直し（${t}）`;

  // The secretariat starts a topic in the private 情報セキュリティWG.
  await signIn(page, 'tokyo_officer');
  await open(page, '/council/wg_security');
  await expect(heading(page)).toHaveText('情報セキュリティWG');
  const create = form(page, 'create_topic');
  await create.getByLabel('件名').fill(title);
  await create.getByLabel('本文（Markdown）').fill(`${word} の取扱いについて共有します（${t}）`);
  await submit(create, '話題を始める', landed(/^\/council\/topics\/[^/]+$/, 'created'));
  await expect(notice(page)).toHaveText('話題を作成しました。');
  await expect(heading(page)).toHaveText(title);
  const topicPath = here(page);

  // The secretariat (a member) finds the post.
  await search(page, word);
  await expect(status(page)).toHaveText(`「${word}」の検索結果: 1件`);
  await expect(hits(page)).toHaveCount(1);
  const hit = hits(page).first();
  await expect(hit.locator('.badge')).toHaveText('協議会の投稿');
  await expect(hit.locator('.project-meta')).toContainText('情報セキュリティWG');
  await expect(hit.getByRole('link', { name: title, exact: true })).toHaveAttribute(
    'href',
    new RegExp(`^${escapeRegExp(topicPath)}#comment-[^/]+$`),
  );
  await expect(hit.locator('.snippet mark')).toHaveText(word);

  // 八王子市 staff (in the council through their organisation, not in the WG) find nothing.
  await switchTo(page, 'city_staff');
  await search(page, word);
  await expect(status(page)).toHaveText(`「${word}」の検索結果: 0件`);
  await expect(hits(page)).toHaveCount(0);
  await expect(page.locator('main')).not.toContainText(title);
  await expect(page.locator('main')).not.toContainText('情報セキュリティWG');
});

test('a one-character query is refused with a notice', async ({ page }) => {
  await signIn(page, 'city_staff');
  // By address: the input's minlength keeps the browser from sending it through the form.
  await open(page, `/search?q=${encodeURIComponent('住')}`);
  await expect(heading(page)).toHaveText('検索');
  await expect(status(page)).toHaveText('2〜100文字で入力してください。');
  await expect(page.locator('main p.notice[role="status"]')).toHaveCount(1);
  await expect(hits(page)).toHaveCount(0);
  await expect(page.locator('main')).not.toContainText('の検索結果');
  await switchLanguage(page, 'en');
  await expect(heading(page)).toHaveText('Search');
  await expect(status(page)).toHaveText('Enter 2 to 100 characters.');
});

test('/search?q=住民記録 passes axe in Japanese and English', async ({ page }) => {
  await signIn(page, 'tokyo_officer');
  await open(page, `/search?q=${encodeURIComponent('住民記録')}`);
  await expect(heading(page)).toHaveText('検索');
  await expect(status(page)).toHaveText(/^「住民記録」の検索結果: \d+件$/);
  await expect(hits(page).first()).toBeVisible();
  await expectNoAxeViolations(page);
  await switchLanguage(page, 'en');
  await expect(heading(page)).toHaveText('Search');
  await expect(status(page)).toHaveText(/^\d+ results for “住民記録”$/);
  await expect(hits(page).first()).toBeVisible();
  await expectNoAxeViolations(page);
});
