//! The demo council (demo mode only): the CIO council with the demo municipalities as members,
//! a council-wide working group, a private one, a meeting with a 公開 and a 非公開 item, an
//! open proposal and a 研修会 — so that every council page can be tried at once. Written once:
//! a later start finds the council and changes nothing.

use crate::db::{Db, DbError, first};

/// Writes the demo council unless the council workspace exists; `now` places the meeting, the
/// proposal's closing and the training in the coming weeks (UTC).
pub async fn insert(db: &Db, now: chrono::DateTime<chrono::Utc>) -> Result<(), DbError> {
    let exists: Option<bool> = first(
        db.query("RETURN record::exists(workspace:council)")
            .await?
            .check()?,
    )?;
    if exists == Some(true) {
        return Ok(());
    }
    let day = |days: i64, hour: u32| {
        let date = (now + chrono::Duration::days(days))
            .with_timezone(&crate::i18n::jst())
            .date_naive();
        date.and_hms_opt(hour, 0, 0)
            .and_then(|t| t.and_local_timezone(crate::i18n::jst()).single())
            .map(|t| t.to_utc().to_rfc3339())
            .unwrap_or_default()
    };
    db.query(
        "BEGIN TRANSACTION;
         CREATE workspace:council CONTENT {
            name_ja: '都・区市町村CIO協議会', name_en: 'Tokyo CIO Council',
            description: '東京都と62区市町村のCIOによる協議会です。**標準化**・ガバメントクラウド移行、共同調達、人材シェアリングについて協議します。',
            visibility: 'council'
         };
         CREATE workspace:wg_standardization CONTENT {
            name_ja: '標準化・ガバメントクラウド部会', name_en: 'Standardization and Government Cloud working group',
            description: '基幹業務システムの標準化と移行の課題を共有する部会です。',
            visibility: 'council'
         };
         CREATE workspace:wg_security CONTENT {
            name_ja: '情報セキュリティWG', name_en: 'Information security working group',
            description: 'インシデント情報を扱うため、メンバー限定です。',
            visibility: 'private'
         };
         FOR $m IN [
            ['council', 'user:demo_tokyo_officer', 'secretariat'],
            ['council', 'organisation:131164', 'member'],
            ['council', 'organisation:132012', 'member'],
            ['council', 'organisation:133035', 'member'],
            ['council', 'user:demo_govtech_advisor', 'observer'],
            ['wg_standardization', 'user:demo_tokyo_officer', 'secretariat'],
            ['wg_standardization', 'user:demo_ward_cio', 'chair'],
            ['wg_standardization', 'user:demo_govtech_advisor', 'member'],
            ['wg_security', 'user:demo_tokyo_officer', 'secretariat'],
            ['wg_security', 'user:demo_ward_cio', 'member']
         ] {
            CREATE type::record('workspace_member', [$m[0], $m[1]]) CONTENT {
                workspace: type::record('workspace', $m[0]), member: $m[1], role: $m[2],
                user: IF string::starts_with($m[1], 'user:') { type::record('app_user', string::split($m[1], ':')[1]) } ELSE { NONE },
                organisation: IF string::starts_with($m[1], 'organisation:') { type::record('organisation', string::split($m[1], ':')[1]) } ELSE { NONE }
            };
         };
         CREATE council_topic:demotopic1 CONTENT {
            workspace: workspace:council, title: '住民記録システムの移行スケジュール',
            author: app_user:demo_tokyo_officer, pinned: true
         };
         CREATE post:demotopicpost1 CONTENT {
            subject: 'council:council:demotopic1', author: app_user:demo_tokyo_officer,
            body: '各団体の**住民記録システムの移行**予定を共有してください。'
         };
         CREATE meeting:demomeeting1 CONTENT {
            workspace: workspace:council, title: '第3回 都・区市町村CIO協議会',
            starts_at: <datetime> $meeting_start, ends_at: <datetime> $meeting_end,
            place: '東京都庁 第一本庁舎', online_url: 'https://meet.example.jp/kyodo-council',
            author: app_user:demo_tokyo_officer
         };
         CREATE agenda_item CONTENT {
            meeting: meeting:demomeeting1, position: 1, title: '標準化の進捗報告', public: true,
            body: '各団体の移行状況を共有します。', minutes: '20業務の移行計画を確認した。'
         };
         CREATE agenda_item CONTENT {
            meeting: meeting:demomeeting1, position: 2, title: '個別団体の調達状況（非公開）', public: false,
            body: '入札前の情報を含むため非公開とします。', minutes: ''
         };
         CREATE proposal:demoproposal1 CONTENT {
            workspace: workspace:council, title: '共同調達の対象に文書管理システムを加える',
            body: '次年度の共同調達の対象に**文書管理システム**を加えることを提案します。',
            kind: 'consent', options: ['賛成', '棄権', '反対', '異議'],
            closes_at: <datetime> $proposal_closes, anonymous: false, hide_results: false,
            vote_per: 'organisation', author: app_user:demo_tokyo_officer
         };
         CREATE training:demotraining1 CONTENT {
            workspace: workspace:council, title: 'ガバメントクラウド研修会',
            body: 'ガバメントクラウドの基礎と移行の注意点を学びます。',
            starts_at: <datetime> $training_start, deadline: <datetime> $training_deadline,
            capacity: 30, author: app_user:demo_tokyo_officer
         };
         COMMIT TRANSACTION;",
    )
    .bind(("meeting_start", day(14, 14)))
    .bind(("meeting_end", day(14, 16)))
    .bind(("proposal_closes", day(10, 17)))
    .bind(("training_start", day(21, 10)))
    .bind(("training_deadline", day(18, 17)))
    .await?
    .check()?;
    Ok(())
}
