//! Joint projects in the database (ssr only): SurrealQL only, bound parameters, no user-facing
//! text. Each change writes its history entry (subject `project:<key>`) and its notices in the
//! same transaction; the rules that must hold across servers are checked inside it: the window
//! by the database's clock, one participation per municipality (record key and unique index),
//! the version of a project a lead moves, and the two participants 参加確定 needs.

use super::model::{
    CostPlan, Participation, PriceTier, Project, ProjectStatus, ProjectSummary, SplitKey, Window,
};
use crate::db::{Db, DbError, first, rows, to_value, transaction_outcome};
use crate::history::model::FieldChange;
use crate::ids::{ProjectId, UserId};
use crate::notifications::model::Notice;
use serde::Deserialize;

/// The columns of a project besides its card's ([`CARD_FIELDS`]).
const PROJECT_FIELDS: &str = "description, contact,
    unit, base_cost_yen, split, unit_price_yen, reference_price_yen_per_unit,
    single_buyer_base_yen, supplier, amount_yen, cancel_reason, <string> updated_at AS version";

/// A project's card as read (see [`ProjectSummary`]).
#[derive(Deserialize)]
struct Card {
    id: ProjectId,
    kind: super::model::ProjectKind,
    title: String,
    summary: String,
    lead: String,
    tags: Vec<String>,
    systems: Vec<String>,
    visibility: super::model::Visibility,
    invited: Vec<String>,
    status: ProjectStatus,
    opens_at: Option<chrono::DateTime<chrono::Utc>>,
    closes_at: Option<chrono::DateTime<chrono::Utc>>,
    created_at: crate::ids::Timestamp,
}

/// The columns of a card, datetimes as RFC 3339 strings.
const CARD_FIELDS: &str = "record::id(id) AS id, kind, title, summary, record::id(lead) AS lead,
    tags, systems, visibility, invited, status,
    IF opens_at = NONE { NONE } ELSE { <string> opens_at } AS opens_at,
    IF closes_at = NONE { NONE } ELSE { <string> closes_at } AS closes_at,
    <string> created_at AS created_at";

impl From<Card> for ProjectSummary {
    fn from(c: Card) -> ProjectSummary {
        ProjectSummary {
            id: c.id,
            kind: c.kind,
            title: c.title,
            summary: c.summary,
            lead: c.lead,
            tags: c.tags,
            systems: c.systems,
            visibility: c.visibility,
            invited: c.invited,
            status: c.status,
            window: c
                .opens_at
                .zip(c.closes_at)
                .map(|(opens_at, closes_at)| Window {
                    opens_at,
                    closes_at,
                }),
            created_at: c.created_at,
        }
    }
}

/// A whole project as read: its card and the rest.
#[derive(Deserialize)]
struct Row {
    #[serde(flatten)]
    card: Card,
    description: String,
    contact: String,
    unit: String,
    base_cost_yen: i64,
    split: SplitKey,
    unit_price_yen: Option<i64>,
    reference_price_yen_per_unit: Option<i64>,
    single_buyer_base_yen: Option<i64>,
    supplier: Option<String>,
    amount_yen: Option<i64>,
    cancel_reason: Option<String>,
    version: String,
}

impl From<Row> for Project {
    fn from(r: Row) -> Project {
        let card = ProjectSummary::from(r.card);
        Project {
            id: card.id,
            kind: card.kind,
            title: card.title,
            summary: card.summary,
            description: r.description,
            lead: card.lead,
            contact: r.contact,
            tags: card.tags,
            systems: card.systems,
            visibility: card.visibility,
            invited: card.invited,
            status: card.status,
            window: card.window,
            unit: r.unit,
            cost: CostPlan {
                base_cost_yen: r.base_cost_yen,
                split: r.split,
                unit_prices: r
                    .unit_price_yen
                    .map(|unit_price_yen| PriceTier {
                        min_total_quantity: 1,
                        unit_price_yen,
                    })
                    .into_iter()
                    .collect(),
                reference_price_yen_per_unit: r.reference_price_yen_per_unit,
                single_buyer_base_yen: r.single_buyer_base_yen,
            },
            supplier: r.supplier,
            amount_yen: r.amount_yen,
            cancel_reason: r.cancel_reason,
            created_at: card.created_at,
            version: r.version,
        }
    }
}

/// Every project, newest first (the caller filters by who may see it).
pub async fn all(db: &Db) -> Result<Vec<Project>, DbError> {
    let mut response = db
        .query(format!(
            "SELECT {CARD_FIELDS}, {PROJECT_FIELDS}, created_at AS sort_at FROM project
             ORDER BY sort_at DESC"
        ))
        .await?
        .check()?;
    let rows: Vec<Row> = rows(&mut response, 0)?;
    Ok(rows.into_iter().map(Project::from).collect())
}

/// One project; `None` when there is no such project.
pub async fn get(db: &Db, id: &ProjectId) -> Result<Option<Project>, DbError> {
    let row: Option<Row> = first(
        db.query(format!(
            "SELECT {CARD_FIELDS}, {PROJECT_FIELDS} FROM ONLY type::record('project', $id)"
        ))
        .bind(("id", id.to_string()))
        .await?
        .check()?,
    )?;
    Ok(row.map(Project::from))
}

/// A project's participants, by organisation key.
pub async fn participants(db: &Db, id: &ProjectId) -> Result<Vec<Participation>, DbError> {
    let mut response = db
        .query(
            "SELECT record::id(organisation) AS org_key, organisation.name_ja AS name_ja,
                organisation.name_en AS name_en, quantity, note, <string> at AS at
             FROM project_participant WHERE project = type::record('project', $id)
             ORDER BY org_key",
        )
        .bind(("id", id.to_string()))
        .await?
        .check()?;
    Ok(rows(&mut response, 0)?)
}

/// The participant count of each of `ids` (in that order).
pub async fn participant_counts(db: &Db, ids: &[ProjectId]) -> Result<Vec<u32>, DbError> {
    let mut response = db
        .query(
            "RETURN $ids.map(|$p| array::len(SELECT VALUE id FROM project_participant
                WHERE project = type::record('project', $p)))",
        )
        .bind(("ids", keys(ids)))
        .await?
        .check()?;
    Ok(response.take(0)?)
}

/// Which of `ids` organisation `org_key` takes part in (read by record key, one per project).
pub async fn joined_among(
    db: &Db,
    org_key: &str,
    ids: &[ProjectId],
) -> Result<Vec<ProjectId>, DbError> {
    let mut response = db
        .query(
            "SELECT VALUE record::id(project) FROM
                $ids.map(|$p| type::record('project_participant', [$p, $org]))
             WHERE project != NONE",
        )
        .bind(("ids", keys(ids)))
        .bind(("org", org_key.to_owned()))
        .await?
        .check()?;
    let joined: Vec<String> = response.take(0)?;
    Ok(joined.into_iter().map(ProjectId::from).collect())
}

fn keys(ids: &[ProjectId]) -> Vec<String> {
    ids.iter().map(ToString::to_string).collect()
}

/// The change counter the project list is kept current by ([`crate::db::counter`]): every
/// write of a `project` row bumps it and stamps the row's `rev`.
pub const LISTING_COUNTER: &str = "project";

/// The cards of the projects written after counter value `since` (all when `None`), with the
/// counter's value, read in one transaction.
pub async fn summaries_since(
    db: &Db,
    since: Option<i64>,
) -> Result<(i64, Vec<ProjectSummary>), DbError> {
    let filter = if since.is_some() {
        "WHERE rev > $since"
    } else {
        ""
    };
    let mut response = db
        .query(format!(
            "BEGIN TRANSACTION;
             SELECT VALUE value FROM type::record('change_counter', $counter);
             SELECT {CARD_FIELDS} FROM project {filter};
             COMMIT TRANSACTION;"
        ))
        .bind(("since", since.unwrap_or(0)))
        .bind(("counter", LISTING_COUNTER))
        .await?
        .check()?;
    // Statement 0 is BEGIN (and a RETURN would end the transaction early).
    let rev: Vec<i64> = response.take(1)?;
    let cards: Vec<Card> = rows(&mut response, 2)?;
    Ok((
        rev.first().copied().unwrap_or(0),
        cards.into_iter().map(ProjectSummary::from).collect(),
    ))
}

/// Stores demo projects with their participants (demo mode, an empty `project` table only;
/// `actor` is recorded as their creator), a thousand per transaction. Returns how many were
/// stored (0 when projects exist).
pub async fn insert_demo(
    db: &Db,
    projects: &[super::demo::DemoProject],
    actor: &UserId,
) -> Result<usize, DbError> {
    let existing: Option<i64> = first(
        db.query("RETURN count(SELECT VALUE id FROM project LIMIT 1)")
            .await?
            .check()?,
    )?;
    if existing.unwrap_or(0) > 0 {
        return Ok(0);
    }
    let query = format!(
        "BEGIN TRANSACTION;
         LET $actor = type::record('app_user', $actor_id);
         {bump}
         FOR $p IN $projects {{
            CREATE type::record('project', $p.id) CONTENT {{
                kind: $p.kind, title: $p.title, summary: $p.summary,
                description: $p.description, lead: type::record('organisation', $p.lead),
                contact: $p.contact, tags: $p.tags, systems: $p.systems,
                visibility: $p.visibility, invited: $p.invited, status: $p.status,
                opens_at: IF $p.opens_at = NONE {{ NONE }} ELSE {{ <datetime> $p.opens_at }},
                closes_at: IF $p.closes_at = NONE {{ NONE }} ELSE {{ <datetime> $p.closes_at }},
                unit: $p.unit, base_cost_yen: $p.base_cost_yen, split: 'equal',
                unit_price_yen: $p.unit_price_yen,
                single_buyer_base_yen: $p.single_buyer_base_yen, supplier: $p.supplier,
                amount_yen: $p.amount_yen, created_by: $actor,
                created_at: <datetime> $p.created_at, rev: $rev
            }};
            FOR $m IN $p.members {{
                CREATE type::record('project_participant', [$p.id, $m.org]) CONTENT {{
                    project: type::record('project', $p.id),
                    organisation: type::record('organisation', $m.org),
                    quantity: $m.quantity, joined_by: $actor, confirmed: $p.confirmed
                }};
            }};
         }};
         COMMIT TRANSACTION;",
        bump = crate::db::counter::bump(LISTING_COUNTER)
    );
    for chunk in projects.chunks(1000) {
        let rows = to_value(&chunk);
        crate::db::with_retries(|| async {
            let response = db
                .query(query.clone())
                .bind(("actor_id", actor.to_string()))
                .bind(("projects", rows.clone()))
                .await?;
            transaction_outcome(response)
        })
        .await?;
    }
    Ok(projects.len())
}

/// The active users of the given organisations (those told about a project's changes).
pub async fn users_of(db: &Db, org_keys: &[String]) -> Result<Vec<UserId>, DbError> {
    let mut response = db
        .query(
            "SELECT VALUE record::id(id) FROM app_user WHERE status = 'active'
                AND record::id(organisation) IN $orgs",
        )
        .bind(("orgs", org_keys.to_vec()))
        .await?
        .check()?;
    let ids: Vec<String> = response.take(0)?;
    Ok(ids.into_iter().map(UserId::from).collect())
}

/// The active Tokyo officers and administrators (the secretariat sees every project).
pub async fn secretariat(db: &Db) -> Result<Vec<UserId>, DbError> {
    let mut response = db
        .query(
            "SELECT VALUE record::id(id) FROM app_user WHERE status = 'active'
                AND (roles CONTAINS 'tokyo_officer' OR roles CONTAINS 'admin')",
        )
        .await?
        .check()?;
    let ids: Vec<String> = response.take(0)?;
    Ok(ids.into_iter().map(UserId::from).collect())
}

/// A new project to store (checked by the caller).
pub struct NewProject<'a> {
    /// The project, as it will read back (its `version` and `created_at` are ignored).
    pub project: &'a Project,
    /// Who created it.
    pub actor: &'a UserId,
}

/// Stores a new project (status 下書き) and its first history entry in one transaction.
pub async fn create(db: &Db, new: NewProject<'_>) -> Result<(), DbError> {
    let p = new.project;
    let bump = crate::db::counter::bump(LISTING_COUNTER);
    let history = crate::history::repo::create_entry("$subject", "$actor", "'create'", "[]");
    let query = format!(
        "BEGIN TRANSACTION;
             LET $actor = type::record('app_user', $actor_id);
             {bump}
             CREATE type::record('project', $id) CONTENT {{
                kind: $kind, title: $title, summary: $summary, description: $description,
                lead: type::record('organisation', $lead), contact: $contact, tags: $tags,
                systems: $systems, visibility: $visibility, invited: $invited,
                status: $status, unit: $unit, base_cost_yen: $base_cost_yen, split: $split,
                unit_price_yen: $unit_price_yen,
                reference_price_yen_per_unit: $reference_price_yen_per_unit,
                single_buyer_base_yen: $single_buyer_base_yen, created_by: $actor, rev: $rev
             }};
             {history}
             COMMIT TRANSACTION;"
    );
    crate::db::with_retries(|| async {
        let response = db
            .query(query.clone())
            .bind(("id", p.id.to_string()))
            .bind(("kind", p.kind.code().to_owned()))
            .bind(("title", p.title.clone()))
            .bind(("summary", p.summary.clone()))
            .bind(("description", p.description.clone()))
            .bind(("lead", p.lead.clone()))
            .bind(("contact", p.contact.clone()))
            .bind(("tags", p.tags.clone()))
            .bind(("systems", p.systems.clone()))
            .bind(("visibility", p.visibility.code().to_owned()))
            .bind(("invited", p.invited.clone()))
            .bind(("status", p.status.code().to_owned()))
            .bind(("unit", p.unit.clone()))
            .bind(("base_cost_yen", p.cost.base_cost_yen))
            .bind(("split", p.cost.split.code().to_owned()))
            .bind((
                "unit_price_yen",
                p.cost.unit_prices.first().map(|t| t.unit_price_yen),
            ))
            .bind((
                "reference_price_yen_per_unit",
                p.cost.reference_price_yen_per_unit,
            ))
            .bind(("single_buyer_base_yen", p.cost.single_buyer_base_yen))
            .bind(("actor_id", new.actor.to_string()))
            .bind(("subject", crate::policy::project_subject(p.id.as_str())))
            .await?;
        transaction_outcome(response)
    })
    .await
}

/// Refuses the transaction unless `$p` is open for participation by the database's clock.
const CHECK_WINDOW: &str =
    "IF $p.status != 'open' OR $p.opens_at = NONE OR time::now() < $p.opens_at
        OR time::now() >= $p.closes_at { THROW 'window_closed'; };";

/// What a participation write did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParticipationWrite {
    /// Written.
    Done,
    /// The call for participation is not open (by the database's clock), or the project moved
    /// on meanwhile: nothing written.
    WindowClosed,
    /// Joining: the municipality is already in the list. Changing or withdrawing: it is not.
    AlreadyDone,
}

/// The values a participation write binds.
struct ParticipationArgs {
    id: String,
    org: String,
    actor_id: String,
    subject: String,
    changes: serde_json::Value,
    quantity: Option<u32>,
    note: Option<String>,
}

impl ParticipationArgs {
    fn new(id: &ProjectId, org_key: &str, actor: &UserId, changes: &[FieldChange]) -> Self {
        ParticipationArgs {
            id: id.to_string(),
            org: org_key.to_owned(),
            actor_id: actor.to_string(),
            subject: crate::policy::project_subject(id.as_str()),
            changes: to_value(&changes),
            quantity: None,
            note: None,
        }
    }
}

/// Runs a participation transaction, again after a lost write conflict, and classifies it.
async fn participation_write(
    db: &Db,
    query: String,
    args: ParticipationArgs,
    already: &str,
) -> Result<ParticipationWrite, DbError> {
    let outcome = crate::db::with_retries(|| async {
        let response = db
            .query(query.clone())
            .bind(("id", args.id.clone()))
            .bind(("org", args.org.clone()))
            .bind(("actor_id", args.actor_id.clone()))
            .bind(("subject", args.subject.clone()))
            .bind(("changes", args.changes.clone()))
            .bind(("quantity", args.quantity.map(i64::from)))
            .bind(("note", args.note.clone()))
            .await?;
        transaction_outcome(response)
    })
    .await;
    match outcome {
        Ok(()) => Ok(ParticipationWrite::Done),
        Err(e) if e.is_thrown("window_closed") => Ok(ParticipationWrite::WindowClosed),
        Err(e) if e.is_thrown(already) => Ok(ParticipationWrite::AlreadyDone),
        Err(e) => Err(e),
    }
}

/// A municipality's participation change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParticipationChange {
    /// Join with `quantity` units and a note; [`ParticipationWrite::AlreadyDone`] when it is
    /// already in the list (whoever of its users clicked first, on whichever server).
    Join {
        /// Units, in the project's unit.
        quantity: u32,
        /// Note to the lead.
        note: Option<String>,
    },
    /// Change the quantity and note; [`ParticipationWrite::AlreadyDone`] when it is not in the
    /// list.
    Change {
        /// Units, in the project's unit.
        quantity: u32,
        /// Note to the lead.
        note: Option<String>,
    },
    /// Withdraw; [`ParticipationWrite::AlreadyDone`] when it is not in the list.
    Withdraw,
}

/// Writes a participation change of municipality `org_key` inside the window (by the
/// database's clock), with its history entry, in one transaction.
pub async fn participate(
    db: &Db,
    id: &ProjectId,
    org_key: &str,
    actor: &UserId,
    change: &ParticipationChange,
    changes: &[FieldChange],
) -> Result<ParticipationWrite, DbError> {
    let (source, statement, already) = match change {
        ParticipationChange::Join { .. } => (
            "'join'",
            "CREATE $row CONTENT { project: $p, organisation: type::record('organisation', $org),
                quantity: $quantity, note: $note, joined_by: $actor };",
            "already",
        ),
        ParticipationChange::Change { .. } => (
            "'join'",
            "IF $row.project = NONE { THROW 'not_joined'; };
             UPDATE $row SET quantity = $quantity, note = $note;",
            "not_joined",
        ),
        ParticipationChange::Withdraw => (
            "'withdraw'",
            "IF $row.project = NONE { THROW 'not_joined'; };
             DELETE $row;",
            "not_joined",
        ),
    };
    let history = crate::history::repo::create_entry("$subject", "$actor", source, "$changes");
    let query = format!(
        "BEGIN TRANSACTION;
         LET $p = type::record('project', $id);
         LET $actor = type::record('app_user', $actor_id);
         LET $row = type::record('project_participant', [$id, $org]);
         {CHECK_WINDOW}
         {statement}
         {history}
         COMMIT TRANSACTION;"
    );
    let mut args = ParticipationArgs::new(id, org_key, actor, changes);
    if let ParticipationChange::Join { quantity, note }
    | ParticipationChange::Change { quantity, note } = change
    {
        args.quantity = Some(*quantity);
        args.note = note.clone();
    }
    participation_write(db, query, args, already).await
}

/// A status change to store (checked by [`super::model::check_transition`] first).
pub struct Move<'a> {
    /// The project.
    pub id: &'a ProjectId,
    /// The version the lead saw ([`Project::version`]).
    pub version: &'a str,
    /// The project after the change (status, window, contract, reason).
    pub after: &'a Project,
    /// The history lines.
    pub changes: &'a [FieldChange],
    /// Who moves it.
    pub actor: &'a UserId,
    /// The notice to each of `recipients`.
    pub notice: &'a Notice,
    /// Who is told.
    pub recipients: &'a [UserId],
}

/// What a status change did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoveWrite {
    /// Written.
    Done,
    /// The project changed since the lead saw it (version): nothing written.
    Stale,
    /// 参加確定 with fewer than two participants (counted in the transaction).
    TooFewParticipants,
}

/// Moves a project to `after.status` with its window, contract or reason, checking the
/// version and (for 参加確定) the participant count inside the transaction, with its history
/// entry and notices. 参加確定 also marks every participation it counted, so that a
/// withdrawal at the same moment conflicts with it: the two cannot both commit and leave a
/// confirmed project with fewer than two participants.
pub async fn move_to(db: &Db, m: Move<'_>) -> Result<MoveWrite, DbError> {
    use crate::notifications::repo::{CREATE_NOTICES, notice_bindings};
    let history =
        crate::history::repo::create_entry("$subject", "$actor", "'transition'", "$changes");
    let (notice, recipients) = notice_bindings(m.notice, m.recipients);
    let a = m.after;
    let query = format!(
        "BEGIN TRANSACTION;
         LET $p = type::record('project', $id);
         LET $actor = type::record('app_user', $actor_id);
         IF $p.status = NONE OR <string> $p.updated_at != $version {{ THROW 'stale_version'; }};
         IF $status = 'confirmed' AND count(SELECT VALUE id FROM project_participant
                WHERE project = $p) < {min} {{ THROW 'too_few_participants'; }};
         -- Confirming writes every participation it counted, so that a withdrawal committed
         -- at the same moment conflicts with it (one of the two is refused), never both.
         IF $status = 'confirmed' {{
            UPDATE project_participant SET confirmed = true WHERE project = $p;
         }};
         {bump}
         UPDATE $p SET status = $status, rev = $rev,
            opens_at = IF $opens_at = NONE {{ NONE }} ELSE {{ <datetime> $opens_at }},
            closes_at = IF $closes_at = NONE {{ NONE }} ELSE {{ <datetime> $closes_at }},
            supplier = $supplier, amount_yen = $amount_yen, cancel_reason = $cancel_reason;
         {history}
         {CREATE_NOTICES}
         COMMIT TRANSACTION;",
        min = super::model::MIN_PARTICIPANTS,
        bump = crate::db::counter::bump(LISTING_COUNTER),
    );
    let rfc = |t: chrono::DateTime<chrono::Utc>| crate::ids::Timestamp(t).rfc3339();
    let outcome = crate::db::with_retries(|| async {
        let response = db
            .query(query.clone())
            .bind(("id", m.id.to_string()))
            .bind(("version", m.version.to_owned()))
            .bind(("actor_id", m.actor.to_string()))
            .bind(("status", a.status.code().to_owned()))
            .bind(("opens_at", a.window.map(|w| rfc(w.opens_at))))
            .bind(("closes_at", a.window.map(|w| rfc(w.closes_at))))
            .bind(("supplier", a.supplier.clone()))
            .bind(("amount_yen", a.amount_yen))
            .bind(("cancel_reason", a.cancel_reason.clone()))
            .bind(("subject", crate::policy::project_subject(m.id.as_str())))
            .bind(("changes", to_value(&m.changes)))
            .bind(notice.clone())
            .bind(recipients.clone())
            .await?;
        transaction_outcome(response)
    })
    .await;
    match outcome {
        Ok(()) => Ok(MoveWrite::Done),
        Err(DbError::Conflict) => Ok(MoveWrite::Stale),
        Err(e) if e.is_thrown("too_few_participants") => Ok(MoveWrite::TooFewParticipants),
        Err(e) => Err(e),
    }
}

/// The keys of the projects organisation `org_key` takes part in.
pub async fn projects_of(db: &Db, org_key: &str) -> Result<Vec<String>, DbError> {
    let mut response = db
        .query(
            "SELECT VALUE record::id(project) FROM project_participant
             WHERE organisation = type::record('organisation', $org)",
        )
        .bind(("org", org_key.to_owned()))
        .await?
        .check()?;
    Ok(response.take(0)?)
}

/// The participating organisations' keys by project key, each list in key order: of the
/// projects `ids` (each read through the participation index), or of every project (`None`).
pub async fn participations(
    db: &Db,
    ids: Option<&[ProjectId]>,
) -> Result<std::collections::HashMap<String, Vec<String>>, DbError> {
    #[derive(Deserialize)]
    struct Row {
        project: String,
        org: String,
    }
    const FIELDS: &str = "record::id(project) AS project, record::id(organisation) AS org";
    let query = match ids {
        Some(_) => format!(
            "RETURN array::flatten($ids.map(|$p| SELECT {FIELDS} FROM project_participant
                WHERE project = type::record('project', $p) ORDER BY org))"
        ),
        None => format!("SELECT {FIELDS} FROM project_participant ORDER BY project, org"),
    };
    let mut response = db
        .query(query)
        .bind(("ids", ids.map(keys).unwrap_or_default()))
        .await?
        .check()?;
    let rows: Vec<Row> = rows(&mut response, 0)?;
    let mut members: std::collections::HashMap<String, Vec<String>> =
        std::collections::HashMap::new();
    for r in rows {
        members.entry(r.project).or_default().push(r.org);
    }
    Ok(members)
}

/// A project or a post of a project's thread that matches a search.
#[derive(Debug, Clone, Deserialize)]
pub struct SearchRow {
    /// `project` or `project_post`.
    pub kind: String,
    /// The project's key.
    pub project: String,
    /// The post's key, for a post.
    pub post: Option<String>,
    /// The matched text.
    pub text: String,
    /// BM25 relevance.
    pub score: f64,
    /// When written.
    pub at: Option<chrono::DateTime<chrono::Utc>>,
}

/// Projects whose title or description matches `q`, and posts of projects' threads that do
/// (full-text, [`crate::search`]), at most 200 of each; the caller keeps what the user may see.
pub async fn search(db: &Db, q: &str) -> Result<Vec<SearchRow>, DbError> {
    let mut response = db
        .query(
            "SELECT 'project' AS kind, record::id(id) AS project, NONE AS post,
                string::concat(title, ' ', description) AS text,
                search::score(1) + search::score(2) AS score, created_at AS at
             FROM project WHERE title @1@ $q OR description @2@ $q ORDER BY score DESC LIMIT 200;
             SELECT 'project_post' AS kind, string::split(subject, ':')[1] AS project,
                record::id(id) AS post, body AS text, search::score(1) AS score, at
             FROM post WHERE body @1@ $q AND string::starts_with(subject, 'project:')
             ORDER BY score DESC LIMIT 200;",
        )
        .bind(("q", crate::search::model::grams(q)))
        .await?
        .check()?;
    let mut found: Vec<SearchRow> = rows(&mut response, 0)?;
    found.extend(rows::<SearchRow>(&mut response, 1)?);
    Ok(found)
}
