//! What JavaScript adds to every page, as the page's one island.
//!
//! Pages are plain server-rendered HTML (Leptos islands: only islands hydrate, so the browser
//! downloads the code of this module and not of every page). Everything works without it.

use leptos::prelude::*;

/// The page's island: once the browser has run it, `<body data-hydrated="true">` says the
/// page's script is live (browser tests wait for it), and a POST form that is already on its
/// way is not sent a second time by a double click or a second Enter (the form is marked
/// `aria-busy="true"` until its answer replaces the page; a page shown again from the back-
/// forward cache takes submissions again).
#[island]
pub fn Enhancements() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    Effect::new(|_| browser::start());
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::*;
    use leptos::wasm_bindgen::JsCast;
    use leptos::web_sys::Element;
    use std::cell::RefCell;
    use std::rc::Rc;

    /// The attribute that marks a POST form whose submission is under way.
    const BUSY: &str = "aria-busy";

    pub fn start() {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
        let busy: Rc<RefCell<Vec<Element>>> = Rc::default();
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
            if form.get_attribute(BUSY).as_deref() == Some("true") {
                ev.prevent_default();
            } else {
                let _ = form.set_attribute(BUSY, "true");
                submitted.borrow_mut().push(form);
            }
        });
        // A page restored from the back-forward cache keeps its attributes: let its forms go again.
        let shown = window_event_listener(leptos::ev::pageshow, move |_| {
            for form in busy.borrow_mut().drain(..) {
                let _ = form.remove_attribute(BUSY);
            }
        });
        // The listeners live as long as the page.
        std::mem::forget(submit);
        std::mem::forget(shown);
    }
}
