//! `<textarea>` with stored text: shown and posted back exactly as stored.

use leptos::prelude::*;

/// The content of a raw-text element (`<textarea>`, `<title>`), safe to write into the
/// server's HTML.
///
/// Leptos writes the children of `<textarea>` (tachys treats it as a raw-text element) and
/// leptos_meta the `<title>` into server-rendered HTML without escaping them, while the browser
/// reads that content as RCDATA: `</textarea` or `</title` ends it and character references
/// are decoded. So on the server `&` and `<` are
/// escaped here (`A&amp;B` stays `A&amp;B`, `</textarea>` stays text). In the browser the text
/// becomes a text node as it is, so it is returned unchanged.
pub fn raw_text_content(text: &str) -> String {
    #[cfg(feature = "ssr")]
    {
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                c => out.push(c),
            }
        }
        out
    }
    #[cfg(not(feature = "ssr"))]
    {
        text.to_owned()
    }
}

/// A multi-line text field prefilled with `value` (user text: escaped, see
/// [`raw_text_content`]). `maxlength` is in characters (UTF-16 units, as the browser counts).
#[component]
pub fn TextArea(
    /// The element id (for its `<label for>`).
    id: &'static str,
    /// The form field name.
    name: &'static str,
    /// Visible rows.
    #[prop(default = 5)]
    rows: u32,
    /// Longest accepted text.
    maxlength: u32,
    /// Whether the field must be filled.
    #[prop(optional)]
    required: bool,
    /// The stored text to show.
    #[prop(optional, into)]
    value: String,
) -> impl IntoView {
    view! {
        <textarea id=id name=name rows=rows maxlength=maxlength required=required>{raw_text_content(&value)}</textarea>
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn breakout_and_entities_stay_text() {
        assert_eq!(
            raw_text_content("</textarea><h1>x</h1><textarea>"),
            "&lt;/textarea&gt;&lt;h1&gt;x&lt;/h1&gt;&lt;textarea&gt;"
        );
        assert_eq!(raw_text_content("A&amp;B"), "A&amp;amp;B");
        assert_eq!(raw_text_content("備考 OK"), "備考 OK");
    }

    #[test]
    fn rendered_textarea_holds_the_text_only() {
        let html = view! { <TextArea id="notes" name="notes" maxlength=100 value="</textarea><b>x</b>&amp;"/> }
            .to_html();
        assert!(
            html.contains("&lt;/textarea&gt;&lt;b&gt;x&lt;/b&gt;&amp;amp;"),
            "{html}"
        );
        assert_eq!(html.matches("</textarea>").count(), 1, "{html}");
    }
}
