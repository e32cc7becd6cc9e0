//! Pure mapping of joint projects to the Open Contracting Data Standard (OCDS) 1.1.
//!
//! Source: OCDS 1.1.5 `release-schema.json`, `release-package-schema.json`,
//! `record-package-schema.json` and the closed codelists `releaseTag`, `tenderStatus`,
//! `awardStatus`, `contractStatus` (open-contracting/standard, tag `1__1__5`), plus the
//! Budget Breakdown extension for participants' cost shares.
//!
//! # Stage mapping
//!
//! | stage        | `tag`                                | `tender.status` | award      | contract     |
//! |--------------|--------------------------------------|-----------------|------------|--------------|
//! | `draft`      | `planning`                           | `planning`      | –          | –            |
//! | `open`       | `planningUpdate`                     | `planning`      | –          | –            |
//! | `confirmed`  | `planningUpdate`                     | `planned`       | –          | –            |
//! | `tendering`  | `tender`                             | `active`        | –          | –            |
//! | `awarded`    | `award`, `contract`                  | `complete`      | `active`   | `active`     |
//! | `operating`  | `implementation`                     | `complete`      | `active`   | `active`     |
//! | `closed`     | `contractTermination`                | `complete`      | `active`   | `terminated` |
//! | `cancelled`  | `tenderCancellation`                 | `cancelled`     | –          | –            |
//! | `cancelled` after `awarded` | `awardCancellation`   | `complete`      | `cancelled`| `cancelled`  |
//! | `cancelled` after `operating` | `awardCancellation`, `contractTermination` | `complete` | `cancelled` | `terminated` |
//!
//! 参加募集 (`open`) gathers municipalities, not bids: the procurement is still being planned,
//! so it and 参加確定 (`confirmed`) are `planningUpdate`s; the call for bids is 調達
//! (`tendering`), the first `tender` release. An unknown stage code is treated like `draft`.
//!
//! # Identifiers
//!
//! * `ocid` = `{prefix}-{project id}`; `tender.id` = project id.
//! * Release `id` = `{ocid}-{stage}-{YYYYMMDDThhmmssZ}` (release date, UTC).
//! * Party `id`: `JP-LGCODE-{code}` for a 6-digit local-government code (with
//!   `identifier {scheme: "JP-LGCODE", id, legalName}`); `KYODO-{key}` for any other
//!   party key such as `govtech_tokyo` (no identifier: no registered one is known);
//!   `KYODO-SUPPLIER-{16 hex}` for the supplier, a 64-bit FNV-1a hash of its trimmed name.
//! * Award `id` = `{project id}-award`; contract `id` = `{project id}-contract`.
//!
//! Amounts are whole yen as JSON numbers with `currency: "JPY"`; dates are RFC 3339 UTC.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};

/// A snapshot of everything the OCDS mapping needs to know about one joint project.
///
/// All instants are UTC; all money is whole Japanese yen (JPY).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectFacts {
    /// Project key (24 lowercase hex characters); becomes the OCDS process identifier.
    pub id: String,
    /// Kind code: `joint_procurement`, `talent_sharing`, `shared_operation` or `municipal_proposal`.
    pub kind_code: String,
    /// Title (Japanese).
    pub title: String,
    /// Description (Japanese).
    pub description: String,
    /// Current status code: `draft`, `open`, `confirmed`, `tendering`, `awarded`,
    /// `operating`, `closed` or `cancelled`.
    pub status_code: String,
    /// The lead organization (a municipality or GovTech Tokyo).
    pub lead: Party,
    /// Tender window `(start, end)`, if set.
    pub window: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// Base (estimated) cost in yen.
    pub base_cost_yen: i64,
    /// Awarded supplier name, once known.
    pub supplier: Option<String>,
    /// Awarded / contracted amount in yen, once known.
    pub amount_yen: Option<i64>,
    /// Reason given when the project was cancelled.
    pub cancel_reason: Option<String>,
    /// When the project was created.
    pub created_at: DateTime<Utc>,
    /// When the project was last modified.
    pub updated_at: DateTime<Utc>,
    /// Participating organizations with their quantity and cost share in yen.
    pub participants: Vec<(Party, u32, i64)>,
    /// Status transitions: the status code reached and when.
    pub transitions: Vec<(String, DateTime<Utc>)>,
}

/// An organization taking part in a project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    /// Local-government code (6 digits, e.g. `131164`) or another stable key (e.g. `govtech_tokyo`).
    pub key: String,
    /// Japanese name, e.g. `台東区`.
    pub name_ja: String,
    /// English name, e.g. `Taito City`; may be empty.
    pub name_en: String,
}

/// OCDS version written to packages (`version`).
pub const OCDS_VERSION: &str = "1.1";

/// ISO 4217 currency of every amount (Japanese yen, whole units).
pub const CURRENCY: &str = "JPY";

/// Extension used for `planning.budget.budgetBreakdown` (participants' cost shares);
/// listed in every package's `extensions`.
pub const BUDGET_BREAKDOWN_EXTENSION: &str = "https://raw.githubusercontent.com/open-contracting-extensions/ocds_budget_breakdown_extension/master/extension.json";

/// Identifier scheme used for 6-digit local-government codes (全国地方公共団体コード).
pub const LG_CODE_SCHEME: &str = "JP-LGCODE";

/// What a stage exposes, per the table in the module docs.
struct Stage {
    tags: &'static [&'static str],
    tender_status: &'static str,
    award_status: Option<&'static str>,
    contract_status: Option<&'static str>,
}

fn stage(p: &ProjectFacts, code: &str) -> Stage {
    let s = |tags, tender_status, award_status, contract_status| Stage {
        tags,
        tender_status,
        award_status,
        contract_status,
    };
    match code {
        "open" => s(&["planningUpdate"], "planning", None, None),
        "confirmed" => s(&["planningUpdate"], "planned", None, None),
        "tendering" => s(&["tender"], "active", None, None),
        "awarded" => s(
            &["award", "contract"],
            "complete",
            Some("active"),
            Some("active"),
        ),
        "operating" => s(
            &["implementation"],
            "complete",
            Some("active"),
            Some("active"),
        ),
        "closed" => s(
            &["contractTermination"],
            "complete",
            Some("active"),
            Some("terminated"),
        ),
        "cancelled" if reached(p, "operating") => s(
            &["awardCancellation", "contractTermination"],
            "complete",
            Some("cancelled"),
            Some("terminated"),
        ),
        "cancelled" if reached(p, "awarded") => s(
            &["awardCancellation"],
            "complete",
            Some("cancelled"),
            Some("cancelled"),
        ),
        "cancelled" => s(&["tenderCancellation"], "cancelled", None, None),
        _ => s(&["planning"], "planning", None, None),
    }
}

fn reached(p: &ProjectFacts, code: &str) -> bool {
    p.transitions.iter().any(|(c, _)| c == code)
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn yen(amount: i64) -> Value {
    json!({ "amount": amount, "currency": CURRENCY })
}

/// 64-bit FNV-1a: a tiny hash that is stable across platforms and Rust versions.
fn fnv1a64(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn is_lg_code(key: &str) -> bool {
    key.len() == 6 && key.bytes().all(|b| b.is_ascii_digit())
}

/// Party id per the scheme in the module docs.
fn party_id(party: &Party) -> String {
    if is_lg_code(&party.key) {
        format!("{LG_CODE_SCHEME}-{}", party.key)
    } else {
        format!("KYODO-{}", party.key)
    }
}

fn supplier_id(name: &str) -> String {
    format!("KYODO-SUPPLIER-{:016x}", fnv1a64(name.trim()))
}

/// OCDS `OrganizationReference`.
fn org_ref(party: &Party) -> Value {
    json!({ "id": party_id(party), "name": party.name_ja })
}

/// Adds `party` to `parties` (keyed by id), merging roles if it is already there.
fn add_party(parties: &mut Vec<Value>, party: &Party, roles: &[&str]) {
    let id = party_id(party);
    if let Some(existing) = parties.iter_mut().find(|o| o["id"] == id.as_str()) {
        let Some(list) = existing["roles"].as_array_mut() else {
            return;
        };
        for role in roles {
            if !list.iter().any(|r| r == role) {
                list.push(json!(role));
            }
        }
        return;
    }
    let mut org = json!({ "id": id, "name": party.name_ja, "roles": roles });
    if !party.name_en.is_empty() {
        // OCDS language variant of `name` (BCP 47 suffix).
        org["name_en"] = json!(party.name_en);
    }
    if is_lg_code(&party.key) {
        org["identifier"] =
            json!({ "scheme": LG_CODE_SCHEME, "id": party.key, "legalName": party.name_ja });
    }
    parties.push(org);
}

/// Date of a stage: its latest transition, else `created_at` for `draft`, else `updated_at`.
fn stage_date(p: &ProjectFacts, code: &str) -> DateTime<Utc> {
    p.transitions
        .iter()
        .filter(|(c, _)| c == code)
        .map(|&(_, t)| t)
        .max()
        .unwrap_or(if code == "draft" {
            p.created_at
        } else {
            p.updated_at
        })
}

fn build_release(p: &ProjectFacts, prefix: &str, code: &str, date: DateTime<Utc>) -> Value {
    let ocid = format!("{prefix}-{}", p.id);
    let st = stage(p, code);

    let mut parties = Vec::new();
    add_party(&mut parties, &p.lead, &["buyer", "procuringEntity"]);
    for (party, _, _) in &p.participants {
        add_party(&mut parties, party, &["buyer", "sourceParty"]);
    }

    let mut budget = json!({ "amount": yen(p.base_cost_yen) });
    let breakdown: Vec<Value> = p
        .participants
        .iter()
        .map(|(party, quantity, share)| {
            json!({
                "id": party.key,
                "description": format!("{} 負担額（数量 {quantity}）", party.name_ja),
                "amount": yen(*share),
                "sourceParty": org_ref(party),
            })
        })
        .collect();
    if !breakdown.is_empty() {
        budget["budgetBreakdown"] = Value::Array(breakdown);
    }

    let mut tender = json!({
        "id": p.id,
        "title": p.title,
        "description": p.description,
        "status": st.tender_status,
        "procuringEntity": org_ref(&p.lead),
        "value": yen(p.base_cost_yen),
    });
    if let Some((start, end)) = p.window {
        tender["tenderPeriod"] = json!({ "startDate": rfc3339(start), "endDate": rfc3339(end) });
    }
    // The cancellation reason goes on the award when an award is cancelled, else on the tender.
    let mut cancellation = match (code, &p.cancel_reason) {
        ("cancelled", Some(reason)) => Some(json!([{
            "id": format!("{}-cancellation", p.id),
            "documentType": "cancellationDetails",
            "title": "中止理由",
            "description": reason,
            "language": "ja",
        }])),
        _ => None,
    };
    if st.award_status.is_none()
        && let Some(docs) = cancellation.take()
    {
        tender["documents"] = docs;
    }

    let mut release = json!({
        "ocid": ocid,
        "id": format!("{ocid}-{code}-{}", date.format("%Y%m%dT%H%M%SZ")),
        "date": rfc3339(date),
        "tag": st.tags,
        "initiationType": "tender",
        "language": "ja",
        "buyer": org_ref(&p.lead),
        "planning": { "budget": budget },
        "tender": tender,
    });

    if let (Some(award_status), Some(contract_status)) = (st.award_status, st.contract_status) {
        let award_id = format!("{}-award", p.id);
        let mut award = json!({ "id": award_id, "status": award_status });
        let mut contract = json!({
            "id": format!("{}-contract", p.id),
            "awardID": award_id,
            "status": contract_status,
        });
        if reached(p, "awarded") {
            award["date"] = json!(rfc3339(stage_date(p, "awarded")));
        }
        if let Some(name) = &p.supplier {
            let id = supplier_id(name);
            award["suppliers"] = json!([{ "id": id, "name": name }]);
            parties.push(json!({ "id": id, "name": name, "roles": ["supplier"] }));
        }
        if let Some(amount) = p.amount_yen {
            award["value"] = yen(amount);
            contract["value"] = yen(amount);
        }
        if let Some(docs) = cancellation {
            award["documents"] = docs;
        }
        release["awards"] = json!([award]);
        release["contracts"] = json!([contract]);
    }

    release["parties"] = Value::Array(parties);
    release
}

/// One OCDS 1.1 release (a JSON object valid against `release-schema.json`) for project `p`.
///
/// * `prefix` — the registered ocid prefix from configuration, e.g. `ocds-abc123`;
///   `ocid` becomes `{prefix}-{p.id}`.
/// * `stage` — a status code; `None` means the current `p.status_code` dated `p.updated_at`,
///   `Some(code)` is dated at the latest transition to `code` (`created_at` for an
///   unrecorded `draft`, else `updated_at`).
///
/// Tags and statuses follow the table in the [module docs](self). The release always holds
/// `buyer` (the lead), `parties` (the lead as `buyer` + `procuringEntity`, every participant
/// as `buyer` + `sourceParty`, and the supplier as `supplier` from `awarded` on),
/// `planning.budget` (base cost in yen, with one `budgetBreakdown` entry per participant's
/// share) and `tender` (base cost as `value`, window as `tenderPeriod`, cancellation reason
/// as a `cancellationDetails` document). `awards` and `contracts` appear from `awarded` on.
/// Participants, title and amounts are the facts as they are now: no history is kept for them.
#[must_use]
pub fn release(p: &ProjectFacts, prefix: &str, stage: Option<&str>) -> Value {
    match stage {
        Some(code) => build_release(p, prefix, code, stage_date(p, code)),
        None => build_release(p, prefix, &p.status_code, p.updated_at),
    }
}

/// One release per recorded transition of `p`, oldest first, each built as
/// [`release`]`(p, prefix, Some(code))` but dated at that transition, so awards appear only
/// from the `awarded` transition on. With no transitions, the current-state release alone.
#[must_use]
pub fn releases_for_history(p: &ProjectFacts, prefix: &str) -> Vec<Value> {
    if p.transitions.is_empty() {
        return vec![release(p, prefix, None)];
    }
    let mut transitions: Vec<_> = p.transitions.iter().collect();
    transitions.sort_by_key(|&&(_, t)| t);
    transitions
        .into_iter()
        .map(|(code, t)| build_release(p, prefix, code, *t))
        .collect()
}

fn package(uri: &str, published: DateTime<Utc>, publisher_name: &str) -> Value {
    json!({
        "uri": uri,
        "version": OCDS_VERSION,
        "extensions": [BUDGET_BREAKDOWN_EXTENSION],
        "publishedDate": rfc3339(published),
        "publisher": { "name": publisher_name },
    })
}

/// An OCDS 1.1 release package (valid against `release-package-schema.json`) wrapping
/// `releases`, with `uri` (the package's own URL), `version` `"1.1"`, `extensions`,
/// `publishedDate` (`published`, UTC) and `publisher.name`. No `license` is set; add one with
/// `package["license"] = json!(url)` if the publication has one.
#[must_use]
pub fn release_package(
    releases: Vec<Value>,
    uri: &str,
    published: DateTime<Utc>,
    publisher_name: &str,
) -> Value {
    let mut package = package(uri, published, publisher_name);
    package["releases"] = Value::Array(releases);
    package
}

/// An OCDS 1.1 record package (valid against `record-package-schema.json`) with a single
/// record for `p`: `ocid`, the embedded [`releases_for_history`], and `compiledRelease`.
///
/// Every release is a full snapshot, so merging them yields the last release; the compiled
/// release is that release with `tag: ["compiled"]` and `id` `{ocid}-{date}` (as `ocdsmerge`
/// does), everything else equal.
#[must_use]
pub fn record_package(
    p: &ProjectFacts,
    prefix: &str,
    uri: &str,
    published: DateTime<Utc>,
    publisher_name: &str,
) -> Value {
    let releases = releases_for_history(p, prefix);
    let mut compiled = releases
        .last()
        .cloned()
        .unwrap_or_else(|| release(p, prefix, None));
    compiled["tag"] = json!(["compiled"]);
    compiled["id"] = json!(format!(
        "{}-{}",
        compiled["ocid"].as_str().unwrap_or_default(),
        compiled["date"].as_str().unwrap_or_default()
    ));
    let mut package = package(uri, published, publisher_name);
    package["records"] = json!([{
        "ocid": format!("{prefix}-{}", p.id),
        "releases": releases,
        "compiledRelease": compiled,
    }]);
    package
}
