/**
 * The standardization tracker (issue #3): the record page and its edit form, step threads and
 * notifications, the council dashboard, the heatmap, the timeline and the step template, in both
 * projects, with axe scans in Japanese and English at desktop and phone widths.
 *
 * Both projects share one server and tests may run in parallel workers, so every test that writes
 * uses its own 豊島区 record (or thread) per project — see PLAN — and never relies on another
 * test's writes. Reads of shared figures (dashboard rates, unread counts) compare before and after
 * within one test, on records no other test touches.
 */
import { expect, test, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import {
  expectNoAxeViolations,
  matrixCell,
  normalizeSpace,
  open,
  signIn,
  switchLanguage,
  waitReady,
  type Persona,
} from '../helpers';

const TOSHIMA = '131164';
/** Steps in the template (app/data/migration_steps.csv). */
const TEMPLATE_STEPS = 40;

const NAME_JA: Partial<Record<Persona, string>> = {
  ward_cio: '豊島 花子（豊島区CIO・デモ）',
  govtech_advisor: '協働 一郎（GovTech東京・デモ）',
};

const STEP_LABEL_JA: Record<string, string> = {
  not_started: '未着手',
  in_progress: '作業中',
  done: '完了',
  not_applicable: '対象外',
};
const STATUS_LABEL_JA: Record<string, string> = {
  not_started: '未着手',
  in_progress: '作業中',
  live: '移行完了',
};
const REASON_LABEL_JA: Record<string, string> = {
  mainframe: 'メインフレーム',
  custom_built: '独自開発',
};

/**
 * The 豊島区 records (system codes) each project writes. Demo data (app/src/standardization/demo.rs,
 * deterministic) for 豊島区: health_management not started; seal_registration 9 steps done;
 * child_allowance 8 done (extension case); family_register 12 done; national_pension 14 done;
 * disability_welfare 19 done; late_stage_elderly_medical_care 38 done; fixed_asset_tax 16 done
 * (extension case). resident_registry and electoral_roll are left to import.spec.ts.
 */
interface Plan {
  /** Test 1–3: edited by the CIO, read by city staff, discussed by the advisor. */
  edit: string;
  /** The extension reason test 1 sets (one per project, so that counts can be compared). */
  reason: 'mainframe' | 'custom_built';
  /** The step thread of test 3. */
  threadStep: number;
  /** Test 4: the record whose steps the CIO completes while the officer watches the dashboard. */
  rate: string;
  /** The axe tests' record (notes saved, threads commented), per language. */
  axe: { ja: string; en: string };
}

const PLAN: Record<string, Plan> = {
  hydrated: {
    edit: 'health_management',
    reason: 'mainframe',
    threadStep: 2,
    rate: 'child_allowance',
    axe: { ja: 'national_pension', en: 'disability_welfare' },
  },
  'no-js': {
    edit: 'seal_registration',
    reason: 'custom_built',
    threadStep: 2,
    rate: 'family_register',
    axe: { ja: 'late_stage_elderly_medical_care', en: 'fixed_asset_tax' },
  },
};

function plan(): Plan {
  const p = PLAN[test.info().project.name];
  if (!p) throw new Error(`no plan for project ${test.info().project.name}`);
  return p;
}

function recordPath(lg: string, system: string): string {
  return `/standardization/records/${lg}/${system}`;
}

function threadPath(lg: string, system: string, step: number): string {
  return `${recordPath(lg, system)}/steps/${step}`;
}

/**
 * A second browser (its own cookies) signed in as `persona`, with the running project's settings
 * (JavaScript on or off, locale, time zone) and the viewport of `like` if given.
 */
async function asPersona(
  browser: Browser,
  persona: Persona,
  like?: Page,
): Promise<{ context: BrowserContext; page: Page }> {
  const use = test.info().project.use;
  const context = await browser.newContext({
    baseURL: use.baseURL,
    javaScriptEnabled: use.javaScriptEnabled !== false,
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
    ...(like?.viewportSize() ? { viewport: like.viewportSize() } : {}),
  });
  const page = await context.newPage();
  await signIn(page, persona);
  return { context, page };
}

/** The values of the step selects, index = step number − 1. */
async function stepValues(page: Page): Promise<string[]> {
  const pairs = await page
    .locator('form.record-form select[id^="step-"]')
    .evaluateAll((els) => els.map((el) => [el.id, (el as HTMLSelectElement).value] as [string, string]));
  const values: string[] = [];
  for (const [id, value] of pairs) values[Number(id.slice('step-'.length)) - 1] = value;
  return values;
}

interface Derived {
  done: number;
  inProgress: number;
  applicable: number;
  status: 'not_started' | 'in_progress' | 'live';
  percent: string;
}

/** What the server derives from step statuses (Progress::derive, percent_text). */
function derive(values: string[]): Derived {
  const done = values.filter((v) => v === 'done').length;
  const inProgress = values.filter((v) => v === 'in_progress').length;
  const applicable = values.filter((v) => v !== 'not_applicable').length;
  const status =
    applicable > 0 && done === applicable ? 'live' : done + inProgress > 0 ? 'in_progress' : 'not_started';
  const p = applicable === 0 ? 0 : Math.round(((done * 100) / applicable) * 10) / 10;
  const percent = Number.isInteger(p) ? String(p) : p.toFixed(1);
  return { done, inProgress, applicable, status, percent };
}

function percentTextJa(d: Derived): string {
  return `${d.percent}%（対象${d.applicable}手順のうち完了${d.done}、作業中${d.inProgress}）`;
}

/** Presses the edit form's submit button and waits for the page the server sends back. */
async function submitRecord(page: Page): Promise<void> {
  await page.locator('form.record-form button[type="submit"]').click();
  await page.waitForURL((url) => url.searchParams.get('saved') === '1' || url.searchParams.has('form_error'));
  await waitReady(page);
}

function parsePercent(text: string): number {
  const m = /(\d+(?:\.\d+)?)\s*%/.exec(text);
  if (!m) throw new Error(`no percentage in ${JSON.stringify(text)}`);
  return Number(m[1]);
}

function todayJst(): string {
  return new Date(Date.now() + 9 * 3600 * 1000).toISOString().slice(0, 10);
}

/**
 * The page does not scroll sideways (document.scrollingElement.scrollWidth <= window.innerWidth).
 * On failure, names the elements that stick out: outside any scroll container, or positioned
 * absolutely (which a scroll container does not clip unless it is their containing block).
 */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const m = await page.evaluate(() => {
    const width = window.innerWidth;
    const out = (el: Element) => el.getBoundingClientRect().right > width + 0.5;
    const inScroller = (el: Element) => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        if (getComputedStyle(p).overflowX !== 'visible') return true;
      }
      return false;
    };
    const wide: string[] = [];
    for (const el of Array.from(document.querySelectorAll('body *'))) {
      if (el.getBoundingClientRect().width === 0 || !out(el)) continue;
      const absolute = ['absolute', 'fixed'].includes(getComputedStyle(el).position);
      if (!absolute && inScroller(el)) continue;
      const parent = el.parentElement;
      if (!absolute && parent && parent !== document.body && out(parent)) continue;
      const cls = typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\s+/).join('.') : '';
      const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 30);
      wide.push(`${el.tagName.toLowerCase()}${cls}${absolute ? ' (absolute)' : ''} right edge ${Math.round(el.getBoundingClientRect().right)}px "${text}"`);
    }
    return { scrollWidth: document.scrollingElement!.scrollWidth, innerWidth: width, wide: wide.slice(0, 8) };
  });
  expect(
    m.scrollWidth,
    `page scroll width ${m.scrollWidth} > viewport ${m.innerWidth}; sticking out: ${m.wide.join('; ')}`,
  ).toBeLessThanOrEqual(m.innerWidth);
}

/**
 * The comment form of a step thread: writes `body`, posts it, waits for the thread again and
 * returns the comment(s) whose text contains `marker`. The server answers a successful post with
 * the thread at `#comment-<id>`; an error alert there instead is recorded as a (soft) failure, so
 * that the rest of the flow is still checked.
 */
async function postComment(page: Page, body: string, marker: string): Promise<Locator> {
  const path = new URL(page.url()).pathname;
  await page.locator('#body').fill(body);
  await page.locator('form.comment-form button[type="submit"]').click();
  await page.waitForURL((url) => url.pathname === path && (url.hash.startsWith('#comment-') || url.searchParams.has('form_error')));
  await waitReady(page);
  await expect.soft(page.locator('main .notice.error'), 'posting a comment shows no error').toHaveCount(0);
  expect.soft(new URL(page.url()).hash, 'posting a comment lands on the new comment').toMatch(/^#comment-/);
  return page.locator('ol.comments > li').filter({ hasText: marker });
}

/**
 * Clicks a link and waits for its page. If the page does not change, that is recorded as a
 * (soft) failure and the link's address is opened directly, so that the rest of the flow is
 * still checked.
 */
async function follow(page: Page, link: Locator, path: string): Promise<void> {
  await expect(link).toHaveAttribute('href', path);
  await link.click();
  const arrived = await page
    .waitForURL((url) => url.pathname === path, { timeout: 5_000 })
    .then(() => true)
    .catch(() => false);
  expect.soft(arrived, `clicking the link to ${path} opens it`).toBe(true);
  if (!arrived) await page.goto(path);
  await waitReady(page);
}

// ---------------------------------------------------------------------------------------------
// 1. The municipality's CIO edits her own record.
// ---------------------------------------------------------------------------------------------

test('a ward CIO saves steps and an extension case without JavaScript; a target date after FY2030 is refused', async ({
  page,
}) => {
  const { edit: system, reason } = plan();
  const path = recordPath(TOSHIMA, system);
  const reasonText = `庁内独自の帳票が多く改修に時間を要する（${test.info().project.name}）`;
  await signIn(page, 'ward_cio');

  // The dashboard's extension count for this project's reason, and the overdue list, before.
  await open(page, '/standardization/dashboard');
  const extensionCount = page.locator(`[data-testid="extensions"] tr[data-reason="${reason}"] td`);
  const extensionsBefore = Number(normalizeSpace(await extensionCount.innerText()));
  const overdueLink = page.locator(`[data-testid="overdue"] tr[data-lg-code="${TOSHIMA}"] a[href="${path}"]`);
  if (todayJst() > '2026-03-31') {
    // Not live, no extension, past the national target (and past its own plan, if any).
    await expect(overdueLink).toHaveCount(1);
  }

  await open(page, path);
  await expect(page.locator('main h1')).toContainText('豊島区');
  const form = page.locator('form.record-form');
  await expect(form).toBeVisible();
  await expect(form).toHaveAttribute('method', 'post');
  await expect(form).toHaveAttribute('action', '/api/save_record');
  await expect(page.locator('main select[id^="step-"]')).toHaveCount(TEMPLATE_STEPS);
  await expect(page.locator('#step-1')).toHaveAttribute('name', 'steps[0]');
  await expect(page.locator(`#step-${TEMPLATE_STEPS}`)).toHaveAttribute('name', `steps[${TEMPLATE_STEPS - 1}]`);
  expect(await page.locator('#step-1 option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual([
    'not_started',
    'in_progress',
    'done',
    'not_applicable',
  ]);
  expect((await page.locator('#step-1 option').allInnerTexts()).map(normalizeSpace)).toEqual([
    '未着手',
    '作業中',
    '完了',
    '対象外',
  ]);
  // Every step row links to its thread.
  await expect(page.locator('tr[data-step="1"]').getByRole('link', { name: /^手順1の相談/ })).toHaveAttribute(
    'href',
    threadPath(TOSHIMA, system, 1),
  );
  // Precondition (demo data): no extension case yet.
  await expect(page.locator('#special_migration_support')).not.toBeChecked();
  await expect(page.getByTestId('record-extension')).toHaveText('該当しない');

  const before = await stepValues(page);
  expect(before).toHaveLength(TEMPLATE_STEPS);
  const open_ = before.flatMap((v, i) => (v === 'done' || v === 'not_applicable' ? [] : [i + 1]));
  expect(open_.length, 'steps not yet done').toBeGreaterThanOrEqual(5);
  const toDone = open_.slice(0, 3);
  const toNa = open_[3];
  const stepName = async (n: number) => normalizeSpace(await page.locator(`label[for="step-${n}"]`).innerText());
  const names = new Map<number, string>();
  for (const n of [...toDone, toNa]) names.set(n, await stepName(n));
  const historyItems = page.locator('ol.history > li');
  const historyBefore = await historyItems.count();

  for (const n of toDone) await page.locator(`#step-${n}`).selectOption({ label: '完了' });
  await page.locator(`#step-${toNa}`).selectOption({ label: '対象外' });
  await page.locator('#special_migration_support').check();
  await page.locator('#extension_reason').selectOption(reason);
  await page.locator('#extension_reason_text').fill(reasonText);
  await page.locator('#extension_target_date').fill('2030-03-31');
  await page.getByRole('button', { name: '保存する' }).click();

  await page.waitForURL((url) => url.pathname === path && url.searchParams.get('saved') === '1');
  await waitReady(page);
  await expect(page.locator('main .notice.success[role="status"]')).toContainText('保存しました');
  await expect(page.locator('main .notice.error')).toHaveCount(0);

  const after = [...before];
  for (const n of toDone) after[n - 1] = 'done';
  after[toNa - 1] = 'not_applicable';
  const was = derive(before);
  const now = derive(after);
  await expect(page.getByTestId('record-status')).toHaveText(STATUS_LABEL_JA[now.status]);
  await expect(page.getByTestId('record-percent')).toHaveText(percentTextJa(now));
  const extension = page.getByTestId('record-extension');
  await expect(extension).toContainText(REASON_LABEL_JA[reason]);
  await expect(extension).toContainText(reasonText);
  await expect(extension).toContainText('2030-03-31');
  // The form shows what was stored.
  expect(await stepValues(page)).toEqual(after);
  await expect(page.locator('#special_migration_support')).toBeChecked();
  await expect(page.locator('#extension_reason')).toHaveValue(reason);
  await expect(page.locator('#extension_target_date')).toHaveValue('2030-03-31');

  // History: one new entry, newest first, by her, with every change as before → after.
  await expect(page.getByRole('heading', { name: '変更履歴' })).toBeVisible();
  await expect(historyItems).toHaveCount(historyBefore + 1);
  const entry = historyItems.first();
  await expect(entry.locator('.history-head')).toContainText(NAME_JA.ward_cio!);
  await expect(entry.locator('.history-head')).toContainText('画面で編集');
  const lines = (await entry.locator('ul > li').allInnerTexts()).map(normalizeSpace);
  const expected = [
    ...toDone.map((n) => `手順${n}（${names.get(n)}）: ${STEP_LABEL_JA[before[n - 1]]} → 完了`),
    `手順${toNa}（${names.get(toNa)}）: ${STEP_LABEL_JA[before[toNa - 1]]} → 対象外`,
    '特定移行支援: 非該当 → 該当',
    `事由: — → ${REASON_LABEL_JA[reason]}`,
    `事由の詳細: — → ${reasonText}`,
    '移行目標日: — → 2030-03-31',
  ];
  if (was.status !== now.status) {
    expected.push(`進捗状況: ${STATUS_LABEL_JA[was.status]} → ${STATUS_LABEL_JA[now.status]}`);
  }
  expect([...lines].sort()).toEqual([...expected].sort());

  // ---- A target date after 2031-03-31 is refused, and nothing of that submission is stored.
  const stored = {
    status: normalizeSpace(await page.getByTestId('record-status').innerText()),
    percent: normalizeSpace(await page.getByTestId('record-percent').innerText()),
    extension: normalizeSpace(await extension.innerText()),
    steps: await stepValues(page),
    history: await historyItems.count(),
  };
  const target = page.locator('#extension_target_date');
  await expect(target).toHaveAttribute('max', '2031-03-31');
  await target.fill('2031-04-01');
  // The browser itself would stop this (max); the server must refuse it too: skip the browser's check.
  expect(await target.evaluate((el) => (el as HTMLInputElement).validity.rangeOverflow)).toBe(true);
  const extra = open_[4];
  await page.locator(`#step-${extra}`).selectOption('done');
  await form.evaluate((f) => {
    (f as HTMLFormElement).noValidate = true;
  });
  await page.getByRole('button', { name: '保存する' }).click();
  await page.waitForURL((url) => url.pathname === path && url.searchParams.has('form_error'));
  await waitReady(page);
  const alert = page.locator('main .notice.error[role="alert"]');
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('2031-03-31');
  await expect(alert).toContainText('2031-04-01');
  await expect(alert).toContainText('移行目標日');
  // Coming from `?saved=1`, the refused save must not also announce "保存しました".
  await expect.soft(page.locator('main .notice.success'), 'a refused save is not announced as saved').toHaveCount(0);

  await open(page, path);
  await expect(page.locator('main .notice.success')).toHaveCount(0);
  await expect(page.getByTestId('record-status')).toHaveText(stored.status);
  await expect(page.getByTestId('record-percent')).toHaveText(stored.percent);
  await expect(page.getByTestId('record-extension')).toHaveText(stored.extension);
  await expect(page.locator('#extension_target_date')).toHaveValue('2030-03-31');
  expect(await stepValues(page)).toEqual(stored.steps);
  await expect(historyItems).toHaveCount(stored.history);

  // The council dashboard counts the new extension case and no longer lists the record as overdue.
  await open(page, '/standardization/dashboard');
  await expect(extensionCount).toHaveText(String(extensionsBefore + 1));
  await expect(overdueLink).toHaveCount(0);
});

// ---------------------------------------------------------------------------------------------
// 2. Another municipality's staff read only.
// ---------------------------------------------------------------------------------------------

test("city staff of another municipality see a Toshima record read-only and cannot save it", async ({ page }) => {
  const { edit: system } = plan();
  const path = recordPath(TOSHIMA, system);
  await signIn(page, 'city_staff');
  await open(page, path);
  await expect(page.locator('main h1')).toContainText('豊島区');
  await expect(page.getByTestId('record-status')).toHaveText(/^(未着手|作業中|移行完了)$/);
  await expect(page.getByTestId('record-percent')).toContainText('%');

  await expect(page.locator('form.record-form')).toHaveCount(0);
  await expect(page.locator('main select, main textarea, main input:not([type="hidden"])')).toHaveCount(0);
  await expect(page.getByRole('button', { name: '保存する' })).toHaveCount(0);

  await expect(page.getByRole('heading', { name: '手順の状況' })).toBeVisible();
  const rows = page.locator('main table.steps tbody tr[data-step]');
  await expect(rows).toHaveCount(TEMPLATE_STEPS);
  const statuses = (await rows.locator('td.step').allInnerTexts()).map(normalizeSpace);
  expect(statuses.filter((s) => !/^(未着手|作業中|完了|対象外)$/.test(s)), 'step cells without a status').toEqual([]);
  await expect(rows.first().getByRole('link', { name: /^手順1の相談/ })).toHaveAttribute('href', threadPath(TOSHIMA, system, 1));
  await expect(page.getByRole('heading', { name: '変更履歴' })).toBeVisible();

  // A hand-made save is refused by the server, and nothing is stored.
  const response = await page.request.post('/api/save_record', {
    form: { lg_code: TOSHIMA, system, vendor: 'forged-vendor' },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(403);
  await open(page, path);
  await expect(page.locator('main dl.facts')).not.toContainText('forged-vendor');

  // Their thread pages have no comment form either (staff of another municipality only read).
  await open(page, threadPath(TOSHIMA, system, 1));
  await expect(page.locator('main h1')).toContainText('手順1');
  await expect(page.locator('#body')).toHaveCount(0);
});

// ---------------------------------------------------------------------------------------------
// 3. Step threads and notifications.
// ---------------------------------------------------------------------------------------------

test('an advisor comments on a step in Markdown, the CIO asks back and the advisor is notified', async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000); // two people, four pages each
  const { edit: system, threadStep: step } = plan();
  const thread = threadPath(TOSHIMA, system, step);
  const project = test.info().project.name;
  await signIn(page, 'govtech_advisor');

  // The advisor reads the record (no edit form) and opens the step's thread from it.
  await open(page, recordPath(TOSHIMA, system));
  await expect(page.locator('form.record-form')).toHaveCount(0);
  await expect(page.locator('main')).toContainText('各手順の「相談」から');
  await follow(page, page.getByRole('link', { name: new RegExp(`^手順${step}の相談`) }), thread);
  await expect(page.locator('main h1')).toContainText(`手順${step}`);

  const advice = await postComment(
    page,
    `**要確認**: 移行計画書の第3章（${project}）を参照してください。`,
    `移行計画書の第3章（${project}）`,
  );
  await expect(advice).toHaveCount(1);
  await expect(advice.locator('.markdown strong')).toHaveText('要確認');
  await expect(advice.locator('.markdown')).not.toContainText('**');
  await expect(advice.locator('.comment-head')).toContainText(NAME_JA.govtech_advisor!);
  await expect(advice.locator('.comment-head')).toContainText('GovTech東京');

  // The CIO sees the count on her record page, reads the advice and asks a question.
  const cio = await asPersona(browser, 'ward_cio');
  try {
    await open(cio.page, recordPath(TOSHIMA, system));
    const link = cio.page.getByRole('link', { name: new RegExp(`^手順${step}の相談（\\d+件）$`) });
    await follow(cio.page, link, thread);
    await expect(cio.page.locator('ol.comments')).toContainText('要確認');
    const question = await postComment(
      cio.page,
      `質問: 第3章のどの節でしょうか？（${project}）`,
      `第3章のどの節でしょうか？（${project}）`,
    );
    await expect(question).toHaveCount(1);
    await expect(question.locator('.comment-head')).toContainText(NAME_JA.ward_cio!);
  } finally {
    await cio.context.close();
  }

  // The advisor: the header counts unread notifications; the list links to the thread.
  await open(page, '/');
  const bell = page.locator('header a[href="/notifications"]');
  await expect(bell).toHaveText(/^通知（未読[1-9]\d*件）$/);
  await follow(page, bell, '/notifications');
  await expect(page.getByRole('heading', { level: 1, name: '通知' })).toBeVisible();
  const item = page
    .locator('ul.notifications > li')
    .filter({ has: page.locator(`a[href="${thread}"]`) })
    .filter({ hasText: `第3章のどの節でしょうか？（${project}）` });
  await expect(item).toHaveCount(1);
  await expect(item).toHaveClass(/\bunread\b/);
  await expect(item.locator('.badge')).toHaveText('未読');
  await expect(item.getByRole('link')).toContainText(`豊島 花子`);
  await expect(item.getByRole('link')).toContainText(`手順${step}`);

  await follow(page, item.getByRole('link'), thread);
  await expect(page.locator('ol.comments')).toContainText(`第3章のどの節でしょうか？（${project}）`);

  await open(page, '/notifications');
  // A plain form POST that comes back to this page.
  const marked = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/mark_notifications_read');
  await page.getByRole('button', { name: 'すべて既読にする' }).click();
  await marked;
  await page.waitForLoadState('load');
  await waitReady(page);
  await expect(item).toHaveClass(/\bread\b/);
  await expect(item).not.toHaveClass(/\bunread\b/);
  await expect(item.locator('.badge')).toHaveCount(0);
});

// ---------------------------------------------------------------------------------------------
// 4. The council dashboard.
// ---------------------------------------------------------------------------------------------

test("the Tokyo officer's dashboard follows a CIO's change, and filters by kind and cloud", async ({
  page,
  browser,
}) => {
  const { rate: system } = plan();
  await signIn(page, 'tokyo_officer');
  await open(page, '/standardization/dashboard');
  await expect(page.locator('main tbody tr[data-system]')).toHaveCount(20);
  const row = page.locator(`tr[data-system="${system}"]`);
  const rate = async (kind: string) => parsePercent(await row.locator(`td[data-rate="${kind}"]`).innerText());
  const doneBefore = await rate('done');
  const notStartedBefore = await rate('not_started');
  expect(doneBefore + (await rate('in_progress')) + notStartedBefore).toBeCloseTo(100, 0);

  // The CIO completes steps 1–30 of a record that had fewer done.
  const cio = await asPersona(browser, 'ward_cio');
  try {
    await open(cio.page, recordPath(TOSHIMA, system));
    const before = await stepValues(cio.page);
    expect(derive(before).done, 'precondition: fewer than 30 steps done').toBeLessThan(30);
    const after = [...before];
    for (let n = 1; n <= 30; n++) {
      if (before[n - 1] === 'not_applicable' || before[n - 1] === 'done') continue;
      await cio.page.locator(`#step-${n}`).selectOption('done');
      after[n - 1] = 'done';
    }
    await submitRecord(cio.page);
    await expect(cio.page.locator('main .notice.error')).toHaveCount(0);
    await expect(cio.page.locator('main .notice.success')).toContainText('保存しました');
    await expect(cio.page.getByTestId('record-percent')).toHaveText(percentTextJa(derive(after)));
  } finally {
    await cio.context.close();
  }

  await open(page, '/standardization/dashboard');
  expect(await rate('done')).toBeGreaterThan(doneBefore);
  expect(await rate('not_started')).toBeLessThan(notStartedBefore);

  // Kind only: 5 towns × 20 systems.
  const filters = page.locator('main form.filters');
  await filters.locator('select[name="kind"]').selectOption('town');
  await filters.locator('button[type="submit"]').click();
  await page.waitForURL((url) => url.searchParams.get('kind') === 'town');
  await waitReady(page);
  await expect(page.getByTestId('dashboard-total')).toContainText(/^5団体・100件の全体/);

  // Kind and cloud: only records on that Government Cloud count; the heatmap agrees.
  await filters.locator('select[name="kind"]').selectOption('special_ward');
  await filters.locator('select[name="cloud"]').selectOption('google_cloud');
  await filters.locator('button[type="submit"]').click();
  await page.waitForURL(
    (url) => url.searchParams.get('kind') === 'special_ward' && url.searchParams.get('cloud') === 'google_cloud',
  );
  await waitReady(page);
  await expect(filters.locator('select[name="kind"]')).toHaveValue('special_ward');
  await expect(filters.locator('select[name="cloud"]')).toHaveValue('google_cloud');
  const total = page.getByTestId('dashboard-total');
  await expect(total).toContainText(/^23団体・\d+件の全体/);
  const records = Number(/・(\d+)件/.exec(await total.innerText())![1]);
  expect(records).toBeGreaterThan(0);
  expect(records).toBeLessThan(23 * 20);

  await open(page, '/standardization?kind=special_ward&cloud=google_cloud');
  await expect(page.locator('main tbody tr[data-lg-code]')).toHaveCount(23);
  await expect(page.locator('main td[data-cell]:not(.heat-none)')).toHaveCount(records);
  // 豊島区 is on Google Cloud (demo data): its record counts; 港区 (AWS) is left out.
  await expect(matrixCell(page, TOSHIMA, system)).not.toHaveClass(/heat-none/);
  await expect(page.locator('main tr[data-lg-code="131032"] td[data-cell]:not(.heat-none)')).toHaveCount(0);
});

// ---------------------------------------------------------------------------------------------
// 5. The heatmap.
// ---------------------------------------------------------------------------------------------

test('the heatmap sorts by mean progress and its cells link to the record pages', async ({ page }) => {
  await signIn(page, 'govtech_advisor');
  await open(page, '/standardization');
  const filters = page.locator('main form.filters');
  await filters.locator('select[name="sort"]').selectOption('progress_desc');
  await filters.locator('button[type="submit"]').click();
  await page.waitForURL((url) => url.searchParams.get('sort') === 'progress_desc');
  await waitReady(page);
  await expect(filters.locator('select[name="sort"]')).toHaveValue('progress_desc');

  const means = async () =>
    (await page.locator('main tbody tr[data-lg-code] td.mean').allInnerTexts()).map(parsePercent);
  const desc = await means();
  expect(desc).toHaveLength(62);
  for (let i = 1; i < desc.length; i++) {
    expect(desc[i], `row ${i + 1} (${desc[i]}%) after row ${i} (${desc[i - 1]}%)`).toBeLessThanOrEqual(desc[i - 1]);
  }
  expect(desc[0]).toBeGreaterThan(desc[desc.length - 1]);

  await open(page, '/standardization?sort=progress_asc');
  const asc = await means();
  expect(asc).toHaveLength(62);
  for (let i = 1; i < asc.length; i++) expect(asc[i]).toBeGreaterThanOrEqual(asc[i - 1]);

  const cell = matrixCell(page, TOSHIMA, 'school_enrollment');
  await follow(page, cell.getByRole('link'), recordPath(TOSHIMA, 'school_enrollment'));
  await expect(page.locator('main h1')).toHaveText('豊島区 · 就学');
  await expect(page.getByTestId('record-status')).toBeVisible();
});

// ---------------------------------------------------------------------------------------------
// 6. Accessibility: axe (WCAG 2.1 AA) in Japanese and English, desktop and phone.
// ---------------------------------------------------------------------------------------------

type Lang = 'ja' | 'en';

/** Signs in as `persona`, and switches the browser to English if asked. */
async function start(page: Page, persona: Persona, lang: Lang): Promise<void> {
  await signIn(page, persona);
  if (lang === 'en') await switchLanguage(page, 'en');
}

interface AxePage {
  name: string;
  /** Also checked at 375 px. */
  phone: boolean;
  /** Opens the page (writing what it needs first) and checks that it shows what it should. */
  visit(page: Page, browser: Browser, lang: Lang, phone: boolean): Promise<void>;
}

const AXE_PAGES: AxePage[] = [
  {
    name: 'record page (editable, after a save and after a refused save)',
    phone: true,
    async visit(page, _browser, lang, phone) {
      const system = plan().axe[lang];
      await start(page, 'ward_cio', lang);
      await open(page, recordPath(TOSHIMA, system));
      await expect(page.locator('form.record-form')).toBeVisible();
      if (phone) return; // the phone run only reads
      // One line: scripts/e2e.sh's restart check counts the export's physical lines.
      await page
        .locator('#notes')
        .fill(`**${lang === 'ja' ? '注意' : 'Note'}**: [手順書](https://www.digital.go.jp/) を参照。`);
      await submitRecord(page);
      await expect(page.locator('main .notice.success[role="status"]')).toContainText(lang === 'ja' ? '保存しました' : 'Saved.');
      await expect(page.locator('main .markdown strong')).toHaveText(lang === 'ja' ? '注意' : 'Note');
      await expect(page.locator('ol.history > li').first()).toContainText(lang === 'ja' ? '備考' : 'Notes');
      await expectNoAxeViolations(page);
      // A refused save (error alert), from a clean page.
      await open(page, recordPath(TOSHIMA, system));
      await page.locator('#special_migration_support').check();
      await page.locator('#extension_reason').selectOption('mainframe');
      await page.locator('#extension_target_date').fill('2031-04-01');
      await page.locator('form.record-form').evaluate((f) => {
        (f as HTMLFormElement).noValidate = true;
      });
      await submitRecord(page);
      await expect(page.locator('main .notice.error[role="alert"]')).toContainText(
        lang === 'ja' ? 'より後にできません' : 'may not be after 2031-03-31',
      );
    },
  },
  {
    name: 'record page (read-only)',
    phone: true,
    async visit(page, _browser, lang) {
      await start(page, 'city_staff', lang);
      await open(page, recordPath(TOSHIMA, plan().axe[lang]));
      await expect(page.locator('main table.steps').first()).toBeVisible();
      await expect(page.locator('form.record-form')).toHaveCount(0);
    },
  },
  {
    name: 'step thread page with a comment',
    phone: true,
    async visit(page, _browser, lang, phone) {
      const path = threadPath(TOSHIMA, plan().axe[lang], 5);
      await start(page, 'govtech_advisor', lang);
      await open(page, path);
      await expect(page.locator('#body')).toBeVisible();
      if (!phone) {
        const marker = `axe thread comment ${test.info().project.name} ${lang}`;
        const comment = await postComment(
          page,
          `**${lang}**: ${marker}, see [the guide](https://www.digital.go.jp/)\n\n1. one\n2. two`,
          marker,
        );
        await expect(comment.locator('.markdown strong')).toHaveText(lang);
        await open(page, path); // scan the thread itself, not the `#comment-…` address
      }
    },
  },
  {
    name: 'council dashboard',
    phone: true,
    async visit(page, _browser, lang) {
      await start(page, 'tokyo_officer', lang);
      await open(page, '/standardization/dashboard');
      await expect(page.locator('main tr[data-system]')).toHaveCount(20);
      await expect(page.getByTestId('extensions')).toBeVisible();
    },
  },
  {
    name: 'heatmap (sorted and filtered)',
    phone: false,
    async visit(page, _browser, lang) {
      await start(page, 'tokyo_officer', lang);
      await open(page, '/standardization?kind=special_ward&sort=progress_desc');
      await expect(page.locator('main tbody tr[data-lg-code]')).toHaveCount(23);
    },
  },
  {
    name: 'notifications',
    phone: false,
    async visit(page, browser, lang) {
      // A question from the municipality, so that the advisor has an unread notification.
      const cio = await asPersona(browser, 'ward_cio');
      try {
        await open(cio.page, threadPath(TOSHIMA, plan().axe[lang], 6));
        const marker = `Question for the axe scan (${test.info().project.name}, ${lang})`;
        await expect(await postComment(cio.page, marker, marker)).toHaveCount(1);
      } finally {
        await cio.context.close();
      }
      await start(page, 'govtech_advisor', lang);
      await open(page, '/notifications');
      await expect(page.locator('ul.notifications > li.unread').first()).toBeVisible();
    },
  },
  {
    name: 'organisation page with the timeline',
    phone: true,
    async visit(page, _browser, lang) {
      await start(page, 'ward_cio', lang);
      await open(page, `/orgs/${TOSHIMA}`);
      const svg = page.locator('svg.timeline');
      await expect(svg).toHaveAttribute('role', 'img');
      const labelledBy = (await svg.getAttribute('aria-labelledby')) ?? '';
      expect(labelledBy.split(/\s+/).filter(Boolean).length).toBeGreaterThan(0);
      for (const id of labelledBy.split(/\s+/).filter(Boolean)) {
        await expect(page.locator(`[id="${id}"]`)).toHaveCount(1);
      }
      // The text alternative: a table of the 20 systems with the same dates, as many planned
      // dates as the chart has ◇ markers.
      const table = page
        .locator('main table')
        .filter({ has: page.locator('thead th', { hasText: /本番稼働予定日|Planned go-live/ }) });
      await expect(table).toHaveCount(1);
      await expect(table.locator('tbody tr')).toHaveCount(20);
      const headers = (await table.locator('thead th').allInnerTexts()).map(normalizeSpace);
      const planned = headers.findIndex((h) => /本番稼働予定日|Planned go-live/.test(h));
      const plannedDates = await table
        .locator('tbody tr')
        .evaluateAll((rows, i) => rows.filter((r) => /\d{4}-\d{2}-\d{2}/.test(r.children[i]?.textContent ?? '')).length, planned);
      await expect(svg.locator('polygon.tl-planned')).toHaveCount(plannedDates);
    },
  },
  {
    name: 'step template (admin)',
    phone: false,
    async visit(page, _browser, lang) {
      await start(page, 'admin', lang);
      await open(page, '/admin/steps');
      await expect(page.locator('main form.upload input[type="file"]')).toHaveCount(1);
      await expect(page.locator('main ol.step-template > li')).toHaveCount(TEMPLATE_STEPS);
      await expect(page.locator('main h2')).toHaveCount(4);
    },
  },
];

for (const lang of ['ja', 'en'] as const) {
  for (const p of AXE_PAGES) {
    test(`axe: ${p.name} (${lang})`, async ({ page, browser }) => {
      await p.visit(page, browser, lang, false);
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      await expectNoAxeViolations(page);
    });
  }
}

test.describe('on a phone (375 px)', () => {
  test.use({ viewport: { width: 375, height: 812 } });

  for (const lang of ['ja', 'en'] as const) {
    for (const p of AXE_PAGES.filter((p) => p.phone)) {
      test(`axe and no sideways scroll: ${p.name} (${lang})`, async ({ page, browser }) => {
        await p.visit(page, browser, lang, true);
        await expect(page.locator('html')).toHaveAttribute('lang', lang);
        await expectNoSidewaysScroll(page);
        await expectNoAxeViolations(page);
      });
    }
  }
});

// The admin page is for administrators only.
test('the step template upload is offered to administrators only', async ({ page }) => {
  await signIn(page, 'tokyo_officer');
  await open(page, '/admin/steps');
  await expect(page.locator('main ol.step-template > li')).toHaveCount(TEMPLATE_STEPS);
  await expect(page.locator('main form.upload')).toHaveCount(0);
  await expect(page.locator('header a[href="/admin/steps"]')).toHaveCount(0);
});
