//! A wide table's scrolling frame.

use leptos::prelude::*;

/// A horizontally scrollable, keyboard-focusable region around a wide table, so that phone
/// widths never scroll the whole page sideways. `label` names the region for screen readers;
/// `class` adds classes (`tall`: at most a screen high, scrolling down inside, so that a sticky
/// table header stays in view).
#[component]
pub fn ScrollRegion(
    label: &'static str,
    #[prop(optional)] class: &'static str,
    children: Children,
) -> impl IntoView {
    let class = if class.is_empty() {
        "table-scroll".to_owned()
    } else {
        format!("table-scroll {class}")
    };
    view! {
        <div class=class role="region" aria-label=label tabindex="0">
            {children()}
        </div>
    }
}
