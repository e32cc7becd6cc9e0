//! Tenfold demo data for the benchmark (issue #13; ssr only, layer 5 beside `setup`): with
//! `KYODO_DEMO_TENFOLD=1` demo mode adds, once, realistic volume on top of the demo data —
//! 1,000 municipal users, 100,000 step comments, 50,000 history entries and 20,000
//! notifications — so that `scripts/bench.sh` can show how each page grows with it. Joint
//! projects grow with `KYODO_DEMO_PROJECTS` (e.g. 10,000).
//!
//! The rows are generated from a fixed seed (the same data every time), spread over the 62
//! municipalities × 20 systems × 40 steps and over the last two years, written in
//! transactions of [`BATCH`] rows through the same tables and indexes the application uses.

use crate::db::{Db, DbError};
use crate::state::Catalog;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};

/// How much to add.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Volume {
    /// Municipal staff accounts (`app_user:volume_<n>`).
    pub users: usize,
    /// Posts in the tracker's step threads.
    pub comments: usize,
    /// History entries of progress records.
    pub history: usize,
    /// Notices, one in ten to a demo persona, the rest to the generated users.
    pub notices: usize,
}

/// The tenfold volume.
pub const TENFOLD: Volume = Volume {
    users: 1_000,
    comments: 100_000,
    history: 50_000,
    notices: 20_000,
};

/// Rows per transaction.
pub const BATCH: usize = 1_000;

/// Adds `volume` unless it was added before (the record `demo_volume:tenfold`, written after the
/// last row, exists); returns whether it did. A run cut short starts over on the next start
/// (the users are upserted; rows written before stay). Errors: the database's.
pub async fn add(db: &Db, catalog: &Catalog, volume: Volume) -> Result<bool, DbError> {
    db.query("DEFINE TABLE IF NOT EXISTS demo_volume SCHEMALESS")
        .await?
        .check()?;
    let done: Option<Value> = crate::db::first(
        db.query("SELECT VALUE id FROM ONLY demo_volume:tenfold")
            .await?
            .check()?,
    )?;
    if done.is_some() {
        return Ok(false);
    }
    let mut rng = StdRng::seed_from_u64(13);
    let municipalities: Vec<&str> = catalog.municipalities().map(|o| o.key.as_str()).collect();
    let systems: Vec<&str> = catalog.systems.iter().map(|s| s.code.as_str()).collect();
    let now = chrono::Utc::now();
    let at = |rng: &mut StdRng| {
        (now - chrono::Duration::minutes(rng.random_range(0..2 * 365 * 24 * 60))).to_rfc3339()
    };

    let users: Vec<Value> = (0..volume.users.max(1))
        .map(|n| {
            json!({
                "key": format!("volume_{n}"),
                "org": municipalities[n % municipalities.len()],
                "name_ja": format!("職員{n:04}"),
                "name_en": format!("Staff {n:04}"),
            })
        })
        .collect();
    insert(
        db,
        &users,
        "UPSERT type::record('app_user', $r.key) MERGE {
            name_ja: $r.name_ja, name_en: $r.name_en,
            organisation: type::record('organisation', $r.org),
            roles: ['staff'], status: 'active', is_demo: true
         };",
    )
    .await?;

    let user = |rng: &mut StdRng| format!("volume_{}", rng.random_range(0..users.len()));
    let cell = |rng: &mut StdRng| {
        format!(
            "{}_{}",
            municipalities[rng.random_range(0..municipalities.len())],
            systems[rng.random_range(0..systems.len())]
        )
    };
    let comments: Vec<Value> = (0..volume.comments)
        .map(|n| {
            let subject = crate::standardization::repo::step_thread_subject(
                &cell(&mut rng),
                rng.random_range(1..=40),
            );
            json!({
                "subject": subject, "author": user(&mut rng), "at": at(&mut rng),
                "body": format!("移行作業の確認事項 {n}：ベンダとの調整状況と次回の打合せ日程を共有します。"),
            })
        })
        .collect();
    insert(
        db,
        &comments,
        "CREATE post CONTENT {
            subject: $r.subject, author: type::record('app_user', $r.author),
            body: $r.body, at: <datetime> $r.at
         };",
    )
    .await?;

    let history: Vec<Value> = (0..volume.history)
        .map(|_| {
            let step = rng.random_range(1..=40);
            json!({
                "subject": crate::standardization::repo::history_subject(&cell(&mut rng)),
                "actor": user(&mut rng), "at": at(&mut rng),
                "changes": [{ "field": format!("step_{step}"), "before": "not_started", "after": "done" }],
            })
        })
        .collect();
    insert(
        db,
        &history,
        "CREATE history CONTENT {
            subject: $r.subject, actor: type::record('app_user', $r.actor),
            source: 'form', changes: $r.changes, at: <datetime> $r.at
         };",
    )
    .await?;

    let personas: Vec<String> = crate::auth::model::PERSONAS
        .iter()
        .map(|p| p.user_id())
        .collect();
    let notices: Vec<Value> = (0..volume.notices)
        .map(|n| {
            let recipient = if n % 10 == 0 {
                personas[(n / 10) % personas.len()].clone()
            } else {
                user(&mut rng)
            };
            let cell = cell(&mut rng);
            let step = rng.random_range(1..=40u8);
            json!({
                "recipient": recipient, "at": at(&mut rng), "read": rng.random_bool(0.7),
                "subject": crate::standardization::repo::step_thread_subject(&cell, step),
                "link": format!("/standardization/records/{}/steps/{step}", cell.replacen('_', "/", 1)),
            })
        })
        .collect();
    insert(
        db,
        &notices,
        "CREATE notice CONTENT {
            recipient: type::record('app_user', $r.recipient), kind: 'step_comment',
            subject: $r.subject, link: $r.link,
            text_ja: '手順のスレッドに新しいコメントがあります', text_en: 'A new comment in a step thread',
            read: $r.read, at: <datetime> $r.at
         };",
    )
    .await?;
    db.query("UPSERT demo_volume:tenfold SET done_at = time::now()")
        .await?
        .check()?;
    Ok(true)
}

/// Runs `statement` (which reads one row as `$r`) for every row, [`BATCH`] rows to a
/// transaction.
async fn insert(db: &Db, rows: &[Value], statement: &str) -> Result<(), DbError> {
    let query =
        format!("BEGIN TRANSACTION; FOR $r IN $rows {{ {statement} }}; COMMIT TRANSACTION;");
    for batch in rows.chunks(BATCH) {
        db.query(query.as_str())
            .bind(("rows", batch.to_vec()))
            .await?
            .check()?;
    }
    Ok(())
}
