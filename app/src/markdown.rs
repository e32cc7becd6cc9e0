//! Markdown for user text (notes, comments): CommonMark with tables and strikethrough,
//! rendered by `pulldown-cmark` and sanitized by `ammonia` (no scripts, no event handlers,
//! no `javascript:` links; links get `rel="noopener noreferrer nofollow"`). Raw HTML in the
//! source is escaped by the sanitizer, never trusted.

/// Renders Markdown `source` to sanitized HTML, safe to insert with `inner_html`.
pub fn render(source: &str) -> String {
    use pulldown_cmark::{Options, Parser, html};
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let mut unsafe_html = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut unsafe_html, Parser::new_ext(source, options));
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(&unsafe_html)
        .to_string()
}

/// Whether `source` shows no text once rendered: only whitespace, characters that print
/// nothing ([`crate::text::is_invisible`]), comments or tags that the sanitizer removes (such a comment
/// would notify people of nothing). Renders the whole source: callers cap its length first.
pub fn is_blank(source: &str) -> bool {
    let text = ammonia::Builder::empty().clean(&render(source)).to_string();
    let text = text.replace("&nbsp;", " ");
    text.chars()
        .all(|c| c.is_whitespace() || crate::text::is_invisible(c))
}

#[cfg(test)]
mod tests {
    use super::{is_blank, render};

    #[test]
    fn comments_that_render_to_nothing_are_blank() {
        for blank in [
            "<!-- -->",
            "<script></script>",
            "\u{200b}\u{200b}",
            "&nbsp;",
            "  \n ",
            "\u{3164}",
            "\u{2800}\u{2800}",
            "\u{200e}\u{200f}",
            "\u{00ad}",
            "\u{0301}",
            "\u{202e}",
        ] {
            assert!(is_blank(blank), "{blank:?}");
        }
        for text in ["a", "**要確認**", "- 1", "`x`", "か\u{3099}", "e\u{0301}"] {
            assert!(!is_blank(text), "{text:?}");
        }
    }

    #[test]
    fn formats_markdown_and_strips_scripts_handlers_and_javascript_links() {
        let html = render(
            "**要確認** [x](javascript:alert(1)) <script>alert(1)</script> <img src=x onerror=alert(1)>",
        );
        assert!(html.contains("<strong>要確認</strong>"), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }

    #[test]
    fn links_get_a_safe_rel() {
        let html = render("[手順書](https://www.digital.go.jp/)");
        assert!(
            html.contains("rel=\"noopener noreferrer nofollow\""),
            "{html}"
        );
    }
}
