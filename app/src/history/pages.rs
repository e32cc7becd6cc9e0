//! The history list every room's page shows (newest first): when, who, how, and each field's
//! before → after, as the room words them.

use super::model::{FieldChange, HistoryEntry};
use crate::i18n::use_lang;
use leptos::prelude::*;

/// A wording function of [`HistoryWording`].
pub type Wording<T> = std::sync::Arc<dyn Fn(&T) -> String + Send + Sync>;

/// How a room words its history in the page's language: the source's name, a field's label
/// and a value's text (the room's own codes become labels).
#[derive(Clone)]
pub struct HistoryWording {
    /// The source code (`form`, `import`, `join`, …) as shown.
    pub source: Wording<str>,
    /// A field's label.
    pub field: Wording<str>,
    /// A non-blank value (before or after) of a change as shown ("—" stands for a blank one).
    pub value: Wording<(FieldChange, String)>,
}

/// The entries as an ordered list (`ol.history`); `empty` when there are none. The actor is
/// "システム" / "System" for changes made by Kyodo itself.
#[component]
pub fn HistoryList(
    entries: Vec<HistoryEntry>,
    wording: HistoryWording,
    empty: &'static str,
) -> impl IntoView {
    let lang = use_lang();
    if entries.is_empty() {
        return view! { <p class="muted">{empty}</p> }.into_any();
    }
    let value = {
        let wording = wording.clone();
        move |c: &FieldChange, v: &str| {
            if v.is_empty() {
                "—".to_owned()
            } else {
                (wording.value)(&(c.clone(), v.to_owned()))
            }
        }
    };
    view! {
        <ol class="history">
            {entries.into_iter().map(|e| {
                let who = lang.pick(e.actor_name_ja.as_deref().unwrap_or("システム"), e.actor_name_en.as_deref().unwrap_or("System")).to_owned();
                view! {
                    <li>
                        <p class="history-head"><time datetime=e.at.rfc3339()>{e.at.jst()}</time>" · "{who}" · "{(wording.source)(&e.source)}</p>
                        <ul>
                            {e.changes.iter().map(|c| view! {
                                <li>{(wording.field)(&c.field)}": "{value(c, &c.before)}" → "{value(c, &c.after)}</li>
                            }).collect_view()}
                        </ul>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}
