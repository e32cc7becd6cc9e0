import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations, jsEnabled, open, signIn, signOutButton, switchLanguage, waitReady } from '../helpers';
import {
  COUNCIL,
  COUNCIL_NAME,
  DEMO_TOPIC,
  DEMO_TOPIC_TITLE,
  addAgendaItem,
  agendaItem,
  compileSummary,
  escapeRegExp,
  fact,
  form,
  heading,
  here,
  jstDate,
  landed,
  notice,
  publishSummary,
  scheduleMeeting,
  signedOutPage,
  submit,
  switchTo,
  tag,
} from './common';

/**
 * Council workspaces end to end (demo data: the council `council`, whose members are the
 * organisations 131164 豊島区, 132012 八王子市 and 133035 瑞穂町 with the Tokyo officer as its
 * secretariat; the private working group `wg_security`): the secretariat holds a meeting and
 * publishes a 議事要旨 that leaves the 非公開 item out, also for a signed-out reader; a member
 * replies in a topic and votes; a private group stays hidden from non-members; markup in a post
 * never runs; staff register for a training session and cancel; the pages pass axe in Japanese
 * and English. Each Playwright project runs against its own fresh server (scripts/e2e.sh); the
 * tests still create what they change, under unique names, so that they depend on no order.
 */

test('the secretariat holds a meeting and publishes a 議事要旨 that leaves the closed item out', async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const t = tag();
  const title = `第4回 都・区市町村CIO協議会（${t}）`;
  const day = jstDate(10);
  const publicItem = {
    title: `ガバメントクラウド移行の進捗（${t}）`,
    body: `公開議題の説明: 各団体の移行状況を共有します（${t}）`,
    minutes: `公開議題の議事録: 住民記録システムは全団体で移行計画を確認した（${t}）`,
  };
  const closedItem = {
    title: `入札前の個別調達案件（${t}）`,
    body: `非公開議題の説明: 予定価格に関わるため非公開（${t}）`,
  };

  // The secretariat finds the council among the workspaces and schedules a meeting there.
  await signIn(page, 'tokyo_officer');
  await open(page, '/council');
  await expect(heading(page)).toHaveText('協議会・部会');
  await page.getByRole('link', { name: COUNCIL_NAME, exact: true }).click();
  await page.waitForURL((url) => url.pathname === COUNCIL);
  await waitReady(page);
  await expect(heading(page)).toHaveText(COUNCIL_NAME);
  const meetingPath = await scheduleMeeting(page, title, day);
  await expect(fact(page, '日時')).toHaveText(`${day} 14:00 – 16:00 JST`);
  await expect(fact(page, '場所')).toHaveText('東京都庁 第一本庁舎 42階会議室');
  await expect(page.getByText('議題はまだありません。')).toBeVisible();

  // A public item and a closed (非公開) one.
  await addAgendaItem(page, { ...publicItem, isPublic: true });
  await addAgendaItem(page, { ...closedItem, isPublic: false });
  await expect(page.locator('main ol.agenda > li')).toHaveCount(2);
  await expect(agendaItem(page, closedItem.title)).toContainText(closedItem.body);

  // Minutes for the public item.
  const minutes = page.getByLabel(`議事録: ${publicItem.title}（Markdown）`);
  await minutes.fill(publicItem.minutes);
  await submit(
    form(page, 'save_minutes').filter({ has: minutes }),
    '議事録を保存',
    landed(meetingPath, 'minutes'),
  );
  await expect(notice(page)).toHaveText('議事録を保存しました。');
  await expect(agendaItem(page, publicItem.title).locator('.markdown').last()).toContainText(publicItem.minutes);

  // The compiled draft holds the public item only.
  await compileSummary(page);
  const draft = page.getByLabel('議事要旨（Markdown）');
  await expect(draft).toHaveValue(new RegExp(escapeRegExp(publicItem.minutes)));
  const compiled = await draft.inputValue();
  for (const text of [title, publicItem.title, publicItem.body, publicItem.minutes]) expect(compiled).toContain(text);
  for (const text of [closedItem.title, closedItem.body]) expect(compiled).not.toContain(text);

  // Published: the meeting page shows it with a link to its public page.
  await publishSummary(page);
  const summary = page.locator('main section#summary');
  await expect(summary).toContainText('公開済み');
  await expect(summary.getByRole('link', { name: '公開ページを開く' })).toHaveAttribute(
    'href',
    `${meetingPath}/summary`,
  );
  await expect(summary.locator('.markdown').first()).toContainText(publicItem.minutes);
  await expect(summary.locator('.markdown').first()).not.toContainText(closedItem.body);
  await expectNoAxeViolations(page);

  // Signed out: the public page and its Markdown have the public item, never the closed one.
  const visitor = await signedOutPage(browser);
  try {
    const response = await open(visitor, `${meetingPath}/summary`);
    expect(response?.status()).toBe(200);
    await expect(signOutButton(visitor)).toHaveCount(0);
    await expect(heading(visitor).first()).toHaveText(`${title} 議事要旨`);
    const main = visitor.locator('main');
    for (const text of [publicItem.title, publicItem.body, publicItem.minutes]) await expect(main).toContainText(text);
    for (const text of [closedItem.title, closedItem.body]) await expect(main).not.toContainText(text);
    await expect(fact(visitor, '会議体')).toHaveText(COUNCIL_NAME);
    await expect(visitor.getByRole('link', { name: 'Markdownでダウンロード' })).toHaveAttribute(
      'href',
      `${meetingPath}/summary.md`,
    );
    const markdown = await visitor.request.get(`${meetingPath}/summary.md`);
    expect(markdown.status()).toBe(200);
    const text = await markdown.text();
    expect(text).toContain(publicItem.minutes);
    expect(text).not.toContain(closedItem.title);
    expect(text).not.toContain(closedItem.body);
    // The meeting page itself needs signing in.
    const meeting = await open(visitor, meetingPath);
    expect(meeting?.status()).toBe(401);
    await expect(visitor.locator('main')).not.toContainText(closedItem.body);
  } finally {
    await visitor.context().close();
  }

  // Signed in but not a member (the administrator's 130001 is not a member organisation): the
  // public item only.
  await switchTo(page, 'admin');
  await open(page, meetingPath);
  // (The published 議事要旨 on the page brings a second <h1>, its own title.)
  await expect(heading(page).first()).toHaveText(title);
  await expect(agendaItem(page, publicItem.title)).toBeVisible();
  await expect(page.locator('main')).not.toContainText(closedItem.title);
  await expect(page.locator('main')).not.toContainText(closedItem.body);

  // A member (豊島区 through its organisation) sees the closed item, marked 非公開.
  await switchTo(page, 'ward_cio');
  await open(page, meetingPath);
  await expect(agendaItem(page, closedItem.title).locator('.badge')).toHaveText('非公開');
  await expect(agendaItem(page, closedItem.title)).toContainText(closedItem.body);
});

test('a member replies in a council topic and votes on a new proposal', async ({ page }) => {
  test.setTimeout(120_000);
  const t = tag();
  const proposalTitle = `共同調達の対象にRPAを加える（${t}）`;

  // The secretariat opens a consent proposal in the council.
  await signIn(page, 'tokyo_officer');
  await open(page, COUNCIL);
  const create = form(page, 'create_proposal');
  await create.getByLabel('件名').fill(proposalTitle);
  await create.getByLabel('説明（Markdown）').fill('次年度の共同調達の対象に**RPA**を加えることを提案します。');
  await create.getByLabel('決め方').selectOption('consent');
  await create.getByLabel('締切（日本時間）').fill(`${jstDate(7)}T17:00`);
  await submit(create, '議案を作成する', landed(/^\/council\/proposals\/[^/]+$/, 'created'));
  await expect(heading(page)).toHaveText(proposalTitle);
  await expect(notice(page)).toHaveText('議案を作成しました。');
  await expect(page.locator('main .badge.status-open')).toHaveText('受付中');
  await expect(page.locator('main .markdown strong')).toHaveText('RPA');
  const proposalPath = here(page);

  // A member through 豊島区 opens the council's topic and replies.
  await switchTo(page, 'ward_cio');
  await open(page, COUNCIL);
  await page.getByRole('link', { name: DEMO_TOPIC_TITLE, exact: true }).first().click();
  await page.waitForURL((url) => url.pathname === DEMO_TOPIC);
  await waitReady(page);
  await expect(heading(page)).toHaveText(DEMO_TOPIC_TITLE);
  const reply = `豊島区は来年度の第2四半期に移行する予定です（${t}）`;
  await page.getByLabel('返信（Markdown）').fill(reply);
  await submit(form(page, 'post_topic_reply'), '投稿する', landed(DEMO_TOPIC, 'posted'));
  await expect(notice(page)).toHaveText('投稿しました。');
  const post = page.locator('main ol.comments > li').filter({ hasText: reply });
  await expect(post).toHaveCount(1);
  await expect(post.locator('.comment-head')).toContainText('豊島 花子（豊島区CIO・デモ）');
  await expect(post.locator('.markdown')).toHaveText(reply);
  await expect(page.getByRole('heading', { name: '自分の投稿を編集' })).toBeVisible();

  // …and votes 賛成 on the new proposal; the vote is the current choice after the redirect.
  await open(page, proposalPath);
  await expect(heading(page)).toHaveText(proposalTitle);
  await expect(fact(page, 'あなたの投票')).toHaveCount(0);
  const vote = form(page, 'cast_vote');
  await vote.getByRole('radio', { name: '賛成', exact: true }).check();
  await submit(vote, '投票する', landed(proposalPath, 'voted'));
  await expect(notice(page)).toHaveText('投票しました。');
  await expect(fact(page, 'あなたの投票')).toHaveText('賛成');
  await expect(fact(page, '投票数')).toHaveText('1');
  await expect(form(page, 'cast_vote').getByRole('radio', { name: '賛成', exact: true })).toBeChecked();
  await expect(form(page, 'cast_vote').getByRole('button', { name: '投票を変更する', exact: true })).toBeVisible();
  await expect(
    page.getByRole('region', { name: '投票の内訳' }).locator('tbody tr', { hasText: '豊島 花子（豊島区CIO・デモ）' }),
  ).toContainText('賛成');
});

test('a private working group is neither found nor listed for a non-member', async ({ page }) => {
  // 八王子市 staff: their organisation is in the council, but not in the private 情報セキュリティWG.
  await signIn(page, 'city_staff');
  const response = await open(page, '/council/wg_security');
  expect(response?.status()).toBe(404);
  await expect(page.locator('main [role="alert"]')).toContainText('お探しのものは見つかりませんでした。');
  await expect(page).toHaveTitle(/見つかりません/);
  await expect(page.locator('main')).not.toContainText('情報セキュリティWG');

  await open(page, '/council');
  await expect(page.getByRole('link', { name: COUNCIL_NAME, exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: '標準化・ガバメントクラウド部会', exact: true })).toBeVisible();
  await expect(page.locator('main a[href="/council/wg_security"]')).toHaveCount(0);
  await expect(page.locator('main')).not.toContainText('情報セキュリティWG');

  // Its member (豊島区 CIO, in person) finds it.
  await switchTo(page, 'ward_cio');
  await open(page, '/council');
  await page.getByRole('link', { name: '情報セキュリティWG', exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/council/wg_security');
  await waitReady(page);
  await expect(heading(page)).toHaveText('情報セキュリティWG');
});

test('the secretariat finds a person by name and adds them to a new working group', async ({ page }) => {
  await signIn(page, 'tokyo_officer');
  await open(page, '/council');
  const name = `名簿WG ${tag()}`;
  const create = form(page, 'create_workspace');
  await create.getByLabel('名称（日本語）').fill(name);
  await submit(create, '作成する', landed(/^\/council\/[0-9a-z]+$/, 'created'));
  await expect(heading(page)).toHaveText(name);
  const workspace = new URL(page.url()).pathname;

  // No list of every account: organisations only, until a name is searched.
  const candidate = page.locator('#member-candidate');
  await expect(candidate.locator('optgroup[label="個人"]')).toHaveCount(0);
  await page.getByLabel('人を探す（名前・所属）').fill('瑞穂');
  const loaded = page.waitForEvent('load');
  await page.getByRole('button', { name: '探す', exact: true }).click();
  await loaded;
  await page.waitForURL((url) => url.pathname === workspace && url.searchParams.get('people') === '瑞穂');
  await waitReady(page);
  await expect(page.locator('main')).toContainText('「瑞穂」に当てはまる人');
  const person = candidate.locator('optgroup[label="個人"] option', { hasText: '瑞穂 みどり' });
  await expect(person).toHaveCount(1);
  await candidate.selectOption({ label: (await person.textContent()) ?? '' });
  await submit(form(page, 'add_member'), '追加する', landed(workspace, 'members'));
  const row = page.locator('main table tr', { hasText: '瑞穂 みどり' });
  await expect(row).toContainText('個人');
  await expect(row).toContainText('構成員');
  await expectNoAxeViolations(page);
});

test('markup in a topic body never runs and never reaches the page as markup', async ({ page }) => {
  const dialogs: string[] = [];
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  const t = tag();
  const title = `入力の無害化の確認（${t}）`;
  const marker = `無害化の確認用の本文（${t}）`;
  const body = [
    marker,
    '',
    '<script>window.__xss=1</script>',
    '',
    '<img src=x onerror="window.__xss=1">',
    '',
    '[x](javascript:window.__xss=1)',
    '',
    '<svg onload="window.__xss=1">',
  ].join('\n');

  await signIn(page, 'tokyo_officer');
  await open(page, COUNCIL);
  const create = form(page, 'create_topic');
  await create.getByLabel('件名').fill(title);
  await create.getByLabel('本文（Markdown）').fill(body);
  await submit(create, '話題を始める', landed(/^\/council\/topics\/[^/]+$/, 'created'));
  await expect(notice(page)).toHaveText('話題を作成しました。');
  const topicPath = here(page);

  const expectInert = async (p: Page) => {
    await expect(heading(p)).toHaveText(title);
    const markdown = p.locator('main .markdown');
    await expect(markdown.filter({ hasText: marker })).toHaveCount(1);
    await expect(markdown.locator('script')).toHaveCount(0);
    await expect(markdown.locator('svg')).toHaveCount(0);
    await expect(markdown.locator('a[href^="javascript:" i]')).toHaveCount(0);
    await expect(p.locator('[onerror], [onload]')).toHaveCount(0);
    await expect(p.locator('main svg')).toHaveCount(0);
    if (jsEnabled()) {
      // Give a stray handler (an image's onerror) a moment to fire before looking.
      await p.waitForLoadState('load');
      expect(await p.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
    }
    expect(dialogs).toEqual([]);
  };
  await expectInert(page);

  // The same on a fresh load of the page, and the author's edit form keeps the text as written.
  await open(page, topicPath);
  await expectInert(page);
  await expect(page.locator('main details.edit-post textarea')).toHaveValue(/<script>window\.__xss=1<\/script>/);
});

/** The council's pages with their `<h1>` in Japanese and English, seen by the secretariat. */
const AXE_PAGES: readonly (readonly [string, string, string])[] = [
  ['/council', '協議会・部会', 'Council and working groups'],
  [COUNCIL, COUNCIL_NAME, 'Tokyo CIO Council'],
  [DEMO_TOPIC, DEMO_TOPIC_TITLE, DEMO_TOPIC_TITLE],
  ['/council/meetings/demomeeting1', '第3回 都・区市町村CIO協議会', '第3回 都・区市町村CIO協議会'],
  [
    '/council/proposals/demoproposal1',
    '共同調達の対象に文書管理システムを加える',
    '共同調達の対象に文書管理システムを加える',
  ],
  ['/council/trainings/demotraining1', 'ガバメントクラウド研修会', 'ガバメントクラウド研修会'],
];

for (const [path, ja, en] of AXE_PAGES) {
  test(`${path} passes axe in Japanese and English`, async ({ page }) => {
    await signIn(page, 'tokyo_officer');
    await open(page, path);
    await expect(heading(page)).toHaveText(ja);
    await expectNoAxeViolations(page);
    await switchLanguage(page, 'en');
    await expect(heading(page)).toHaveText(en);
    await expectNoAxeViolations(page);
  });
}

test('a published 議事要旨 passes axe signed out, in Japanese and English', async ({ page, browser }) => {
  test.setTimeout(120_000);
  const t = tag();
  const title = `アクセシビリティ確認の会議（${t}）`;
  await signIn(page, 'tokyo_officer');
  const meetingPath = await scheduleMeeting(page, title, jstDate(12));
  await addAgendaItem(page, {
    title: `共同調達の報告（${t}）`,
    body: '**文書管理システム**の共同調達について報告します。\n\n- 参加団体: 12\n- 契約予定: 来年度',
    isPublic: true,
  });
  await compileSummary(page);
  await publishSummary(page);

  const visitor = await signedOutPage(browser);
  try {
    await open(visitor, `${meetingPath}/summary`);
    await expect(heading(visitor).first()).toHaveText(`${title} 議事要旨`);
    await expectNoAxeViolations(visitor);
    await switchLanguage(visitor, 'en');
    await expect(heading(visitor).first()).toHaveText(`Summary: ${title}`);
    await expectNoAxeViolations(visitor);
  } finally {
    await visitor.context().close();
  }
});

test('city staff register for a new training session, see their seat, and cancel', async ({ page }) => {
  test.setTimeout(150_000);
  const t = tag();
  const title = `ガバメントクラウド移行の実務研修（${t}）`;
  const staff = '八王子 太郎（八王子市職員・デモ）';

  // The secretariat announces a session with five seats.
  await signIn(page, 'tokyo_officer');
  await open(page, COUNCIL);
  const create = form(page, 'create_training');
  await create.getByLabel('研修名').fill(title);
  await create.getByLabel('内容（Markdown）').fill('移行手順の**実務**を学びます。');
  await create.getByLabel('開始（日本時間）').fill(`${jstDate(21)}T10:00`);
  await create.getByLabel('申込締切（日本時間）').fill(`${jstDate(14)}T17:00`);
  await create.getByLabel('定員（人）').fill('5');
  await submit(create, '登録する', landed(/^\/council\/trainings\/[^/]+$/, 'created'));
  await expect(heading(page)).toHaveText(title);
  await expect(notice(page)).toHaveText('研修を登録しました。');
  await expect(fact(page, '参加登録/定員')).toHaveText('0/5（残り5席）');
  const trainingPath = here(page);

  // 八王子市 staff register and see their seat.
  await switchTo(page, 'city_staff');
  await open(page, trainingPath);
  await expect(fact(page, 'あなたの申込')).toHaveCount(0);
  await submit(form(page, 'register_training'), '参加を申し込む', landed(trainingPath, 'registered'));
  await expect(notice(page)).toHaveText('参加を申し込みました。');
  await expect(fact(page, 'あなたの申込')).toHaveText('参加登録済み');
  await expect(fact(page, '参加登録/定員')).toHaveText('1/5（残り4席）');
  await expect(page.getByRole('button', { name: '参加を申し込む', exact: true })).toHaveCount(0);
  await expect(page.getByRole('button', { name: '申込を取り消す', exact: true })).toBeVisible();
  await expectNoAxeViolations(page);
  await switchLanguage(page, 'en');
  await expect(fact(page, 'Your registration')).toHaveText('Registered');
  await expect(fact(page, 'Registered/seats')).toHaveText('1/5 (4 left)');
  await switchLanguage(page, 'ja');

  // The secretariat sees the registration.
  await switchTo(page, 'tokyo_officer');
  await open(page, trainingPath);
  await expect(page.getByRole('region', { name: '申込者' }).locator('tbody tr', { hasText: staff })).toContainText(
    '参加登録済み',
  );

  // The staff member cancels; the seat is free again.
  await switchTo(page, 'city_staff');
  await open(page, trainingPath);
  await submit(form(page, 'cancel_registration'), '申込を取り消す', landed(trainingPath, 'cancelled'));
  await expect(notice(page)).toHaveText('申込を取り消しました。');
  await expect(fact(page, 'あなたの申込')).toHaveCount(0);
  await expect(fact(page, '参加登録/定員')).toHaveText('0/5（残り5席）');
  await expect(page.getByRole('button', { name: '参加を申し込む', exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: '申込を取り消す', exact: true })).toHaveCount(0);
});
