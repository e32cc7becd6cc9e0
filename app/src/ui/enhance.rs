//! What JavaScript adds to every page, as the page's one island.
//!
//! Pages are plain server-rendered HTML (Leptos islands: only islands hydrate, so the browser
//! downloads the code of this module and not of every page). Everything works without it.

use leptos::prelude::*;

/// The page's island: once the browser has run it, `<body data-hydrated="true">` says the
/// page's script is live (browser tests wait for it), and a POST form that is already on its
/// way is not sent a second time by a double click or a second Enter: the form says
/// `aria-busy="true"` and further submissions are dropped for 10 seconds (after that the
/// person may have stopped the load and want to send again), or until the page is shown again
/// from the back-forward cache.
#[island]
pub fn Enhancements() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    Effect::new(|_| browser::start());
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::*;
    use leptos::wasm_bindgen::JsCast;
    use leptos::web_sys::{Element, js_sys::Date};
    use std::cell::RefCell;
    use std::rc::Rc;

    /// The attribute that marks a POST form whose submission is under way.
    const BUSY: &str = "aria-busy";

    /// How long a second submission of a POST form is dropped after the first, in milliseconds.
    const RESUBMIT_AFTER_MS: f64 = 10_000.0;

    pub fn start() {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
        // The forms sent from this page, with the time (ms since 1970) each was sent.
        let busy: Rc<RefCell<Vec<(Element, f64)>>> = Rc::default();
        let submitted = Rc::clone(&busy);
        let submit = window_event_listener(leptos::ev::submit, move |ev| {
            let Some(form) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
                return;
            };
            let post = form
                .get_attribute("method")
                .is_some_and(|m| m.eq_ignore_ascii_case("post"));
            if !post {
                return;
            }
            let now = Date::now();
            let mut sent = submitted.borrow_mut();
            match sent.iter_mut().find(|(f, _)| *f == form) {
                Some((_, at)) if now - *at < RESUBMIT_AFTER_MS => ev.prevent_default(),
                Some((_, at)) => *at = now,
                None => {
                    let _ = form.set_attribute(BUSY, "true");
                    sent.push((form, now));
                }
            }
        });
        // A page restored from the back-forward cache keeps its attributes: let its forms go again.
        let shown = window_event_listener(leptos::ev::pageshow, move |ev| {
            if ev.persisted() {
                for (form, _) in busy.borrow_mut().drain(..) {
                    let _ = form.remove_attribute(BUSY);
                }
            }
        });
        // The listeners live as long as the page.
        std::mem::forget(submit);
        std::mem::forget(shown);
    }
}
