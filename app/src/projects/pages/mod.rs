//! The projects room's pages: the list (`/projects`), a project (`/projects/:id`) and the
//! "new project" form (`/projects/new`). Every action is a plain form posting to a server
//! function, so each page works without JavaScript.

mod detail;
mod list;
mod new;

pub use detail::ProjectPage;
pub use list::ProjectsPage;
pub use new::NewProjectPage;

use super::model::{ProjectStatus, Window};
use crate::i18n::Lang;

/// A project's address.
pub fn project_href(id: &str) -> String {
    format!("/projects/{id}")
}

/// A status as a badge's text and class (`status-open`, …).
fn status_badge(status: ProjectStatus, lang: Lang) -> (String, String) {
    (
        status.label(lang).to_owned(),
        format!("badge status-{}", status.code()),
    )
}

/// "締切 2026年12月3日 17:00（あと3日）" / "Closes 3 Dec 2026 17:00 JST (3 days left)".
fn window_text(window: Window, days_left: Option<i64>, lang: Lang) -> String {
    let closes = super::model::fmt_jst(window.closes_at, lang);
    match (lang, days_left) {
        (Lang::Ja, Some(0)) => format!("締切 {closes}（本日締切）"),
        (Lang::Ja, Some(d)) => format!("締切 {closes}（あと{d}日）"),
        (Lang::Ja, None) => format!("締切 {closes}"),
        (Lang::En, Some(0)) => format!("Closes {closes} (today)"),
        (Lang::En, Some(1)) => format!("Closes {closes} (1 day left)"),
        (Lang::En, Some(d)) => format!("Closes {closes} ({d} days left)"),
        (Lang::En, None) => format!("Closed {closes}"),
    }
}
