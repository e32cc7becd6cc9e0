//! The project list's order, filters and pages, over every project's card held in memory
//! ([`ProjectListing`], rebuilt from the rows a write changed, see `crate::db::counter`).
//!
//! Order (issue #10): calls open now first, the soonest to close first; then every other
//! project, newest first; ties by key. A page is read lazily in that order, so the first page
//! costs about a page of cards whatever the number of projects (a filter that matches few
//! projects reads further).

use super::{ProjectKind, ProjectStatus, Visibility, Window};
use crate::ids::{ProjectId, Timestamp};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// Cards on one page of the list.
pub const PAGE_SIZE: usize = 30;

/// What a project's card and the visibility rule need (no description, cost or contract).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectSummary {
    /// Project key.
    pub id: ProjectId,
    /// Kind.
    pub kind: ProjectKind,
    /// Title.
    pub title: String,
    /// Summary (plain text).
    pub summary: String,
    /// Lead organisation's key.
    pub lead: String,
    /// Category tags.
    pub tags: Vec<String>,
    /// Related standard system codes.
    pub systems: Vec<String>,
    /// Who may see it.
    pub visibility: Visibility,
    /// Invited organisations' keys.
    pub invited: Vec<String>,
    /// Lifecycle status.
    pub status: ProjectStatus,
    /// Participation window (UTC), once set.
    pub window: Option<Window>,
    /// When it was created (UTC).
    pub created_at: Timestamp,
}

impl ProjectSummary {
    /// Whether its call for participation is open at `now` (参加募集 and inside the window).
    pub fn open_at(&self, now: DateTime<Utc>) -> bool {
        self.status == ProjectStatus::Open && self.window.is_some_and(|w| w.is_open(now))
    }
}

/// The list's filters; `None` / empty means any.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListFilter {
    /// Only this kind.
    pub kind: Option<ProjectKind>,
    /// Only this status.
    pub status: Option<ProjectStatus>,
    /// Only projects with this tag.
    pub tag: Option<String>,
    /// Only projects related to this standard system code.
    pub system: Option<String>,
    /// Only titles containing this, compared as [`crate::text::search_key`]s (empty: any).
    pub query: String,
}

/// A card with its title's search key.
#[derive(Debug)]
struct Entry {
    summary: ProjectSummary,
    title_key: String,
}

impl ListFilter {
    fn matches(&self, e: &Entry) -> bool {
        let p = &e.summary;
        self.kind.is_none_or(|k| p.kind == k)
            && self.status.is_none_or(|s| p.status == s)
            && self.tag.as_ref().is_none_or(|t| p.tags.contains(t))
            && self.system.as_ref().is_none_or(|s| p.systems.contains(s))
            && (self.query.is_empty() || e.title_key.contains(&self.query))
    }
}

/// One page of the list.
#[derive(Debug, Clone, PartialEq)]
pub struct ListPage {
    /// The cards, in list order.
    pub items: Vec<ProjectSummary>,
    /// Whether a further page has cards.
    pub more: bool,
}

/// Every project's card, in the list's orders.
#[derive(Debug, Default)]
pub struct ProjectListing {
    by_id: HashMap<ProjectId, Arc<Entry>>,
    /// Newest first (created_at descending, then key).
    newest: Vec<Arc<Entry>>,
    /// 参加募集 projects by closing instant (then key).
    open: Vec<Arc<Entry>>,
    /// Projects by tag, newest first.
    tags: BTreeMap<String, Vec<Arc<Entry>>>,
    /// Projects by lead organisation key.
    by_lead: HashMap<String, Vec<Arc<Entry>>>,
}

impl ProjectListing {
    /// The listing of these projects.
    pub fn new(projects: Vec<ProjectSummary>) -> ProjectListing {
        ProjectListing::default().updated(projects)
    }

    /// This listing with `changed` projects added or replaced (by key).
    pub fn updated(&self, changed: Vec<ProjectSummary>) -> ProjectListing {
        let mut by_id = self.by_id.clone();
        for summary in changed {
            let title_key = crate::text::search_key(&summary.title);
            by_id.insert(summary.id.clone(), Arc::new(Entry { summary, title_key }));
        }
        let mut newest: Vec<Arc<Entry>> = by_id.values().cloned().collect();
        newest.sort_by(|a, b| {
            (b.summary.created_at.0, &a.summary.id).cmp(&(a.summary.created_at.0, &b.summary.id))
        });
        let mut open: Vec<Arc<Entry>> = newest
            .iter()
            .filter(|e| e.summary.status == ProjectStatus::Open && e.summary.window.is_some())
            .cloned()
            .collect();
        open.sort_by(|a, b| {
            (a.summary.window.map(|w| w.closes_at), &a.summary.id)
                .cmp(&(b.summary.window.map(|w| w.closes_at), &b.summary.id))
        });
        let mut tags: BTreeMap<String, Vec<Arc<Entry>>> = BTreeMap::new();
        let mut by_lead: HashMap<String, Vec<Arc<Entry>>> = HashMap::new();
        for e in &newest {
            for tag in &e.summary.tags {
                tags.entry(tag.clone()).or_default().push(Arc::clone(e));
            }
            by_lead
                .entry(e.summary.lead.clone())
                .or_default()
                .push(Arc::clone(e));
        }
        ProjectListing {
            by_id,
            newest,
            open,
            tags,
            by_lead,
        }
    }

    /// How many projects it holds.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// Whether it holds no project.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// One project's card.
    pub fn get(&self, id: &ProjectId) -> Option<&ProjectSummary> {
        self.by_id.get(id).map(|e| &e.summary)
    }

    /// The entries of the calls open at `now`, the soonest to close first (those closed by
    /// `now` are skipped by a binary search).
    fn open_entries(&self, now: DateTime<Utc>) -> impl Iterator<Item = &Arc<Entry>> {
        let start = self
            .open
            .partition_point(|e| e.summary.window.is_some_and(|w| w.closes_at <= now));
        self.open[start..]
            .iter()
            .filter(move |e| e.summary.open_at(now))
    }

    /// The calls open at `now`, the soonest to close first.
    pub fn open_at(&self, now: DateTime<Utc>) -> impl Iterator<Item = &ProjectSummary> {
        self.open_entries(now).map(|e| &e.summary)
    }

    /// The projects led by organisation `lead`, newest first.
    pub fn led_by(&self, lead: &str) -> impl Iterator<Item = &ProjectSummary> {
        self.by_lead
            .get(lead)
            .into_iter()
            .flatten()
            .map(|e| &e.summary)
    }

    /// Page `page` (from 0) of [`PAGE_SIZE`] cards of the projects that pass `filter` and
    /// `visible` (the caller's read rule), in list order at `now`.
    pub fn page(
        &self,
        filter: &ListFilter,
        now: DateTime<Utc>,
        visible: impl Fn(&ProjectSummary) -> bool,
        page: usize,
    ) -> ListPage {
        let open_now = self.open_entries(now);
        let others = self.newest.iter().filter(|e| !e.summary.open_at(now));
        let mut items: Vec<ProjectSummary> = open_now
            .chain(others)
            .filter(|e| filter.matches(e) && visible(&e.summary))
            .skip(page.saturating_mul(PAGE_SIZE))
            .take(PAGE_SIZE + 1)
            .map(|e| e.summary.clone())
            .collect();
        let more = items.len() > PAGE_SIZE;
        items.truncate(PAGE_SIZE);
        ListPage { items, more }
    }

    /// Every tag of at least one project that passes `visible`, sorted.
    pub fn tags(&self, visible: impl Fn(&ProjectSummary) -> bool) -> Vec<String> {
        self.tags
            .iter()
            .filter(|(_, projects)| projects.iter().any(|e| visible(&e.summary)))
            .map(|(tag, _)| tag.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, day, 0, 0, 0).unwrap()
    }

    fn card(
        key: &str,
        created: u32,
        status: ProjectStatus,
        window: Option<(u32, u32)>,
    ) -> ProjectSummary {
        ProjectSummary {
            id: ProjectId::parse(key).unwrap(),
            kind: ProjectKind::JointProcurement,
            title: format!("Project {key}"),
            summary: String::new(),
            lead: "govtech_tokyo".into(),
            tags: vec![format!("tag-{key}")],
            systems: Vec::new(),
            visibility: Visibility::Council,
            invited: Vec::new(),
            status,
            window: window.map(|(o, c)| Window {
                opens_at: at(o),
                closes_at: at(c),
            }),
            created_at: Timestamp(at(created)),
        }
    }

    fn keys(page: &ListPage) -> Vec<String> {
        page.items.iter().map(|p| p.id.to_string()).collect()
    }

    #[test]
    fn open_calls_come_first_soonest_closing_first_then_newest() {
        use ProjectStatus::*;
        let listing = ProjectListing::new(vec![
            card("aaaa", 1, Draft, None),
            card("bbbb", 2, Open, Some((1, 20))),
            card("cccc", 3, Open, Some((1, 10))),
            card("dddd", 4, Open, Some((1, 5))), // closed by the 6th
            card("eeee", 5, Open, Some((8, 30))), // not open yet on the 6th
            card("ffff", 6, Closed, None),
        ]);
        let page = listing.page(&ListFilter::default(), at(6), |_| true, 0);
        assert_eq!(
            keys(&page),
            ["cccc", "bbbb", "ffff", "eeee", "dddd", "aaaa"]
        );
        assert!(!page.more);
        let open: Vec<String> = listing.open_at(at(6)).map(|p| p.id.to_string()).collect();
        assert_eq!(open, ["cccc", "bbbb"]);
    }

    #[test]
    fn pages_hold_page_size_cards_and_say_when_more_follow() {
        let cards: Vec<ProjectSummary> = (0..(PAGE_SIZE * 2 + 1))
            .map(|i| {
                card(
                    &format!("p{i:04}"),
                    1 + (i % 28) as u32,
                    ProjectStatus::Closed,
                    None,
                )
            })
            .collect();
        let listing = ProjectListing::new(cards);
        let first = listing.page(&ListFilter::default(), at(1), |_| true, 0);
        let second = listing.page(&ListFilter::default(), at(1), |_| true, 1);
        let third = listing.page(&ListFilter::default(), at(1), |_| true, 2);
        assert_eq!((first.items.len(), first.more), (PAGE_SIZE, true));
        assert_eq!((second.items.len(), second.more), (PAGE_SIZE, true));
        assert_eq!((third.items.len(), third.more), (1, false));
        let mut all: Vec<String> = [first, second, third].iter().flat_map(keys).collect();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), PAGE_SIZE * 2 + 1, "no card twice, none missing");
    }

    #[test]
    fn filters_visibility_and_tags_hide_what_they_should() {
        use ProjectStatus::*;
        let mut private = card("bbbb", 2, Open, Some((1, 20)));
        private.visibility = Visibility::Invited;
        let listing = ProjectListing::new(vec![card("aaaa", 1, Closed, None), private]);
        let public_only = |p: &ProjectSummary| p.visibility == Visibility::Council;
        let page = listing.page(&ListFilter::default(), at(6), public_only, 0);
        assert_eq!(keys(&page), ["aaaa"]);
        assert_eq!(listing.tags(public_only), ["tag-aaaa"]);
        assert_eq!(listing.tags(|_| true), ["tag-aaaa", "tag-bbbb"]);
        let by_title = ListFilter {
            query: crate::text::search_key("PROJECT bb"),
            ..ListFilter::default()
        };
        assert_eq!(keys(&listing.page(&by_title, at(6), |_| true, 0)), ["bbbb"]);
        let by_status = ListFilter {
            status: Some(Closed),
            ..ListFilter::default()
        };
        assert_eq!(
            keys(&listing.page(&by_status, at(6), |_| true, 0)),
            ["aaaa"]
        );
    }

    #[test]
    fn an_update_replaces_a_project_by_key() {
        use ProjectStatus::*;
        let listing = ProjectListing::new(vec![card("aaaa", 1, Draft, None)]);
        let moved = listing.updated(vec![
            card("aaaa", 1, Open, Some((1, 20))),
            card("bbbb", 2, Draft, None),
        ]);
        assert_eq!(moved.len(), 2);
        assert_eq!(
            moved
                .get(&ProjectId::parse("aaaa").unwrap())
                .map(|p| p.status),
            Some(Open)
        );
        assert_eq!(moved.open_at(at(6)).count(), 1);
        assert_eq!(listing.len(), 1, "the earlier listing is unchanged");
    }
}
