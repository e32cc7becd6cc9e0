/**
 * Access and page polish (issue #8, item 13), in both projects: titles of the sign-in-required
 * pages, the skip link, the focus outline's contrast, phone and desktop layouts of the organisation
 * page and the heatmap, the header per role, and the confirmations (comment posted, notifications
 * read, an import that changed nothing, the dashboard's chart column).
 *
 * Writes: step comments on 豊島区 resident_registry threads 7–10 (no other test reads them), and
 * the import of the same fixtures as import.spec.ts (same values, whichever test runs first).
 */
import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import {
  PERSONAS,
  expectNoAxeViolations,
  fixture,
  importCsv,
  importedHeading,
  open,
  signIn,
  switchLanguage,
  waitReady,
  type Persona,
} from '../helpers';

type Lang = 'ja' | 'en';
const LANGS: readonly Lang[] = ['ja', 'en'];
const TOSHIMA = '131164';

/** The 豊島区 import fixture of each project (the same as import.spec.ts uses). */
const OWN_FIXTURE: Record<string, string> = {
  hydrated: 'toshima_resident_registry_utf8_bom.csv',
  'no-js': 'toshima_electoral_roll_utf8_bom.csv',
};

/** The step threads this file comments on, per project and language. */
const THREAD_STEP: Record<string, Record<Lang, number>> = {
  hydrated: { ja: 7, en: 8 },
  'no-js': { ja: 9, en: 10 },
};

function project(): string {
  return test.info().project.name;
}

/** Signs in as `persona` and switches to English if asked. */
async function start(page: Page, persona: Persona, lang: Lang): Promise<void> {
  await signIn(page, persona);
  if (lang === 'en') await switchLanguage(page, 'en');
}

/** A second browser (own cookies, the project's JavaScript setting) signed in as `persona`. */
async function asPersona(browser: Browser, persona: Persona, lang: Lang) {
  const use = test.info().project.use;
  const context = await browser.newContext({
    baseURL: use.baseURL,
    javaScriptEnabled: use.javaScriptEnabled !== false,
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
  });
  const page = await context.newPage();
  await start(page, persona, lang);
  return { context, page };
}

// ---------------------------------------------------------------------------------------------
// Titles of the pages that ask to sign in.
// ---------------------------------------------------------------------------------------------

const SIGN_IN_PAGES = [
  `/orgs/${TOSHIMA}`,
  `/standardization/records/${TOSHIMA}/resident_registry`,
  `/standardization/records/${TOSHIMA}/resident_registry/steps/5`,
];

for (const lang of LANGS) {
  for (const path of SIGN_IN_PAGES) {
    test(`signed out, ${path} answers 401 with a page title (${lang})`, async ({ page }) => {
      if (lang === 'en') {
        await open(page, '/');
        await switchLanguage(page, 'en');
      }
      const response = await open(page, path);
      expect(response?.status()).toBe(401);
      await expect(page.locator('main [role="alert"] a[href="/login"]')).toBeVisible();
      await expect(page).toHaveTitle(lang === 'ja' ? 'サインインが必要です | Kyodo 協働' : 'Sign-in required | Kyodo 協働');
      await expectNoAxeViolations(page);
    });
  }
}

// ---------------------------------------------------------------------------------------------
// The skip link.
// ---------------------------------------------------------------------------------------------

test('the skip link moves focus to the main region; the next Tab lands inside it', async ({ page }) => {
  await signIn(page, 'ward_cio');
  await open(page, '/orgs');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: '本文へスキップ' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('main#main')).toBeFocused();

  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => {
    const el = document.activeElement;
    return {
      inMain: !!el && el.tagName !== 'MAIN' && !!el.closest('main'),
      what: el ? `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} "${(el.textContent ?? '').trim().slice(0, 30)}"` : 'nothing',
    };
  });
  expect(focused.inMain, `after the skip link, Tab focused ${focused.what}`).toBe(true);
});

// ---------------------------------------------------------------------------------------------
// The focus outline: at least 3:1 against what surrounds it.
// ---------------------------------------------------------------------------------------------

interface FocusLook {
  focusVisible: boolean;
  style: string;
  width: number;
  outline: string;
  background: string;
  ratio: number;
}

/**
 * Focuses `target` from the keyboard (focus, Shift+Tab, Tab, so that it matches :focus-visible)
 * and measures its outline: style, width, colour and the contrast of that colour with the
 * background around the element (the first ancestor with an opaque background).
 */
async function focusLook(page: Page, target: Locator): Promise<FocusLook> {
  await target.focus();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  await expect(target).toBeFocused();
  return target.evaluate((el) => {
    const parse = (c: string) => {
      const m = /rgba?\(([^)]+)\)/.exec(c);
      if (!m) return { r: 0, g: 0, b: 0, a: 0 };
      const [r, g, b, a = 1] = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
      return { r, g, b, a };
    };
    const channel = (v: number) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    const luminance = (c: { r: number; g: number; b: number }) =>
      0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
    let background = 'rgb(255, 255, 255)';
    for (let p = el.parentElement; p; p = p.parentElement) {
      const c = getComputedStyle(p).backgroundColor;
      if (parse(c).a > 0) {
        background = c;
        break;
      }
    }
    const s = getComputedStyle(el);
    const [hi, lo] = [luminance(parse(s.outlineColor)), luminance(parse(background))].sort((x, y) => y - x);
    return {
      focusVisible: el.matches(':focus-visible'),
      style: s.outlineStyle,
      width: parseFloat(s.outlineWidth),
      outline: s.outlineColor,
      background,
      ratio: (hi + 0.05) / (lo + 0.05),
    };
  });
}

test('the focus outline has at least 3:1 contrast on white, in the header, on done cells', async ({ page, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, 'CSS: covered by the hydrated project');
  await signIn(page, 'ward_cio');
  const cases: [string, string, (p: Page) => Locator][] = [
    ['a link on white (organisation list)', '/orgs', (p) => p.locator('main tbody a').nth(2)],
    ['a header link', '/orgs', (p) => p.locator('header nav a').nth(1)],
    ['a heatmap cell at 100% (完了)', '/standardization', (p) => p.locator('main td.heat-5 a').first()],
    ['a step status on a 完了 cell', `/standardization/records/${TOSHIMA}/late_stage_elderly_medical_care`, (p) => p.locator('main td.step-done select').nth(1)],
  ];
  for (const [name, path, target] of cases) {
    await open(page, path);
    const look = await focusLook(page, target(page));
    expect(look.focusVisible, `${name}: matches :focus-visible`).toBe(true);
    expect(look.style, `${name}: outline style`).not.toBe('none');
    expect(look.width, `${name}: outline width`).toBeGreaterThanOrEqual(2);
    expect(
      look.ratio,
      `${name}: outline ${look.outline} on ${look.background} has ${look.ratio.toFixed(2)}:1`,
    ).toBeGreaterThanOrEqual(3);
  }
});

// ---------------------------------------------------------------------------------------------
// Layouts: the organisation page's table and timeline, the heatmap's header.
// ---------------------------------------------------------------------------------------------

/** Widths (px) of the organisation page's progress table columns, by header text. */
async function columnWidths(page: Page): Promise<{ name: string; width: number }[]> {
  return page.locator('main table.progress-table thead th').evaluateAll((ths) =>
    ths.map((th) => ({ name: (th.textContent ?? '').trim(), width: th.getBoundingClientRect().width })),
  );
}

/** The on-screen font size (px) of the timeline's labels: CSS size × the SVG's scale. */
async function timelineLabelSizes(page: Page): Promise<number[]> {
  const labels = page.locator('main svg.timeline text.tl-label');
  await expect(labels).toHaveCount(20);
  return labels.evaluateAll((ts) =>
    ts.map((t) => parseFloat(getComputedStyle(t).fontSize) * ((t as SVGGraphicsElement).getScreenCTM()?.a ?? 1)),
  );
}

/** Scrolls the heatmap's last row into view (bottom of the screen) and says whether a system header is still seen. */
async function systemHeaderInView(page: Page): Promise<{ seen: boolean; top: number }> {
  await open(page, '/standardization');
  const rows = page.locator('main table.matrix tbody tr');
  await expect(rows).toHaveCount(62);
  await rows.last().evaluate((el) => el.scrollIntoView({ block: 'end' }));
  return page.locator('main table.matrix thead th.sys').first().evaluate((th) => {
    const r = th.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return { seen: !!hit && th.contains(hit), top: Math.round(r.top) };
  });
}

test.describe('on a phone (390 px)', () => {
  test.use({ viewport: { width: 390, height: 844 } });
  // Layout is CSS, the same with and without JavaScript: the hydrated project covers it.
  test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, 'layout: covered by the hydrated project');

  test('the organisation page keeps readable table columns and timeline labels', async ({ page }) => {
    await signIn(page, 'ward_cio');
    await open(page, `/orgs/${TOSHIMA}`);
    for (const c of await columnWidths(page)) {
      expect(c.width, `column “${c.name}” is ${Math.round(c.width)} px wide`).toBeGreaterThanOrEqual(80);
    }
    const sizes = await timelineLabelSizes(page);
    expect(Math.min(...sizes), 'smallest timeline label (px)').toBeGreaterThanOrEqual(12);
  });

  test('the heatmap keeps its system header in view while scrolling down', async ({ page }) => {
    await signIn(page, 'tokyo_officer');
    const header = await systemHeaderInView(page);
    expect(header.seen, `system header at ${header.top} px after scrolling to the last row`).toBe(true);
  });
});

test.describe('on a desktop (1280 px)', () => {
  test.use({ viewport: { width: 1280, height: 800 } });
  test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, 'layout: covered by the hydrated project');

  test('the organisation page gives the vendor column room; timeline labels are readable', async ({ page }) => {
    await signIn(page, 'ward_cio');
    await open(page, `/orgs/${TOSHIMA}`);
    const vendor = (await columnWidths(page)).find((c) => /ベンダ|Vendor/.test(c.name));
    expect(vendor, 'a vendor column').toBeDefined();
    expect(vendor!.width, 'vendor column width (px)').toBeGreaterThanOrEqual(120);
    const sizes = await timelineLabelSizes(page);
    expect(Math.min(...sizes), 'smallest timeline label (px)').toBeGreaterThanOrEqual(12);
  });

  test('the heatmap keeps its system header in view while scrolling down', async ({ page }) => {
    await signIn(page, 'tokyo_officer');
    const header = await systemHeaderInView(page);
    expect(header.seen, `system header at ${header.top} px after scrolling to the last row`).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// The header offers each role what it may use (auth/policy.rs).
// ---------------------------------------------------------------------------------------------

const HEADER_LINKS: Record<string, (p: Persona) => boolean> = {
  // may_import: municipal CIO and staff, Tokyo officers, administrators.
  '/standardization/import': (p) => p !== 'govtech_advisor',
  // may_manage_users: administrators and municipal CIOs.
  '/admin/users': (p) => p === 'admin' || p === 'ward_cio',
  // may_manage_reference: administrators.
  '/admin/steps': (p) => p === 'admin',
};

for (const persona of PERSONAS) {
  test(`the header offers ${persona} only what the role may use`, async ({ page }) => {
    await signIn(page, persona);
    const header = page.locator('header');
    for (const [href, offered] of Object.entries(HEADER_LINKS)) {
      await expect(header.locator(`a[href="${href}"]`), `header link to ${href}`).toHaveCount(offered(persona) ? 1 : 0);
    }
    // Every page the header and the home page link to opens for this user.
    const hrefs = await page
      .locator('header a[href^="/"], main a[href="/standardization/import"]')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    for (const href of new Set(hrefs)) {
      const response = await page.request.get(href);
      expect(response.status(), `${persona} follows ${href}`).toBe(200);
    }
  });
}

test('signed out, the header offers no import', async ({ page }) => {
  await open(page, '/');
  await expect(page.locator('header a[href="/login"]')).toBeVisible();
  await expect(page.locator('header a[href="/standardization/import"]')).toHaveCount(0);
});

// ---------------------------------------------------------------------------------------------
// Confirmations.
// ---------------------------------------------------------------------------------------------

for (const lang of LANGS) {
  test(`posting a comment and marking notifications read are confirmed (${lang})`, async ({ page, browser }) => {
    test.setTimeout(120_000);
    const step = THREAD_STEP[project()][lang];
    const thread = `/standardization/records/${TOSHIMA}/resident_registry/steps/${step}`;

    // The CIO asks a question: every GovTech advisor is notified.
    const cio = await asPersona(browser, 'ward_cio', lang);
    try {
      await open(cio.page, thread);
      await cio.page.locator('#body').fill(`Confirmation check (${project()}, ${lang})`);
      await cio.page.locator('form.comment-form button[type="submit"]').click();
      await cio.page.waitForURL((url) => url.pathname === thread && url.searchParams.get('posted') === '1');
      await waitReady(cio.page);
      const status = cio.page.locator('main [role="status"]');
      await expect(status).toHaveText(lang === 'ja' ? 'コメントを投稿しました。' : 'Your comment was posted.');
      await expect(status).toBeInViewport();
      await expect(cio.page.locator('ol.comments')).toContainText(`Confirmation check (${project()}, ${lang})`);
      // A fresh visit of the thread says nothing.
      await open(cio.page, thread);
      await expect(cio.page.locator('main [role="status"]')).toHaveCount(0);
    } finally {
      await cio.context.close();
    }

    await start(page, 'govtech_advisor', lang);
    await open(page, '/notifications');
    await expect(page.locator('ul.notifications > li.unread').first()).toBeVisible();
    await page.getByRole('button', { name: lang === 'ja' ? 'すべて既読にする' : 'Mark all as read' }).click();
    await page.waitForURL((url) => url.pathname === '/notifications' && url.searchParams.get('read') === '1');
    await waitReady(page);
    await expect(page.locator('main [role="status"]')).toHaveText(
      lang === 'ja' ? 'すべての通知を既読にしました。' : 'All notifications are marked as read.',
    );
    await expect(page.locator('ul.notifications > li.unread')).toHaveCount(0);
    await expectNoAxeViolations(page);
  });

  test(`an import that changes nothing says so (${lang})`, async ({ page }) => {
    await start(page, 'ward_cio', lang);
    const file = fixture(OWN_FIXTURE[project()]);
    await importCsv(page, file); // writes the fixture's values if another test has not yet
    await importCsv(page, file); // now every line matches
    await expect(importedHeading(page)).toBeVisible();
    const status = page.locator('main [role="status"]');
    await expect(status).toContainText(
      lang === 'ja'
        ? '変更はありません。すべての行が登録済みの記録と一致しています（1行）。'
        : 'No changes: every line matches the stored records (1 line).',
    );
    await expect(page.locator('main table')).toHaveCount(0);
    await expectNoAxeViolations(page);
  });

  test(`every column of the dashboard's table has a visible header (${lang})`, async ({ page }) => {
    await start(page, 'tokyo_officer', lang);
    await open(page, '/standardization/dashboard');
    const headers = page.locator('main table.rates thead th');
    await expect(headers).toHaveCount(7);
    // The text each header shows: text outside visually hidden boxes (clipped, or 1 px).
    const shown = await headers.evaluateAll((ths) =>
      ths.map((th) => {
        const hidden = (el: Element | null): boolean => {
          for (; el && el !== th.parentElement; el = el.parentElement) {
            const s = getComputedStyle(el);
            const r = el.getBoundingClientRect();
            if (s.clip !== 'auto' || s.clipPath !== 'none' || r.width <= 1 || r.height <= 1) return true;
          }
          return false;
        };
        const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
        let text = '';
        for (let n = walker.nextNode(); n; n = walker.nextNode()) if (!hidden(n.parentElement)) text += n.textContent;
        return text.trim();
      }),
    );
    for (const [i, text] of shown.entries()) expect(text, `header ${i + 1} shows text`).not.toBe('');
    await expectNoAxeViolations(page, { rules: ['empty-table-header'] });
  });
}
