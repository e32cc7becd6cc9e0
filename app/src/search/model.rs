//! A search hit and its snippet (pure).

use crate::ids::Timestamp;
use serde::{Deserialize, Serialize};

/// Shortest query, in characters: the index holds character pairs.
pub const QUERY_MIN_CHARS: usize = 2;

/// Longest query, in characters.
pub const QUERY_MAX_CHARS: usize = 100;

/// Hits per page.
pub const PAGE_SIZE: usize = 20;

/// Characters of context on each side of the first match in a snippet.
const CONTEXT_CHARS: usize = 40;

/// One thing found, as the results page lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// What it is: `topic`, `post`, `meeting`, `agenda_item`, `proposal`, `project`,
    /// `project_post`, `step_comment` or `record_note`.
    pub kind: String,
    /// Its title (a post: its thread's).
    pub title: String,
    /// Where it lives (Japanese, English): a workspace, a project, a municipality.
    pub place: (String, String),
    /// Its page.
    pub link: String,
    /// Text around the first match, HTML-escaped, the matched text in `<mark>`.
    pub snippet_html: String,
    /// Relevance (BM25; higher first).
    pub score: f64,
    /// When it was written or last changed.
    pub at: Option<Timestamp>,
}

/// A query as typed: NFC, one line, trimmed, case-folded as the index folds it; `None` when
/// shorter than [`QUERY_MIN_CHARS`] or longer than [`QUERY_MAX_CHARS`].
pub fn clean_query(raw: &str) -> Option<String> {
    let q = crate::text::clean_line(&crate::text::nfc(raw))
        .trim()
        .to_owned();
    let n = q.chars().count();
    (QUERY_MIN_CHARS..=QUERY_MAX_CHARS)
        .contains(&n)
        .then_some(q)
}

/// The query as the index's terms, for the `@@` operator: the text cut into runs the analyzer
/// keeps together (letters and digits apart, punctuation and spaces dropped), each run as its
/// overlapping character pairs, lower-cased, separated by spaces (`住民記録` → `住民 民記 記録`).
/// Every pair must be in a text for it to match. Runs of one character are left out: the index
/// holds pairs only. (SurrealDB's matcher finds a document by the pairs of one query word only
/// when they come as separate words.)
pub fn grams(query: &str) -> String {
    let mut runs: Vec<Vec<char>> = Vec::new();
    let mut run: Vec<char> = Vec::new();
    for c in query.chars().flat_map(char::to_lowercase) {
        let kept = c.is_alphanumeric();
        let same_kind = run
            .last()
            .is_none_or(|p: &char| p.is_numeric() == c.is_numeric());
        if !kept || !same_kind {
            runs.push(std::mem::take(&mut run));
        }
        if kept {
            run.push(c);
        }
    }
    runs.push(run);
    runs.iter()
        .filter(|r| r.len() >= 2)
        .flat_map(|r| r.windows(2).map(|w| w.iter().collect::<String>()))
        .collect::<Vec<_>>()
        .join(" ")
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// A snippet of `text` for `query`: whitespace collapsed, the first case-insensitive match
/// with 40 characters on each side (`…` where cut), HTML-escaped, the match in
/// `<mark>`. Without an exact match (the words found apart), the text's start.
pub fn snippet(text: &str, query: &str) -> String {
    let flat: Vec<char> = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .collect();
    let lower: Vec<char> = flat
        .iter()
        .map(|c| c.to_lowercase().next().unwrap_or(*c))
        .collect();
    let q: Vec<char> = query
        .chars()
        .map(|c| c.to_lowercase().next().unwrap_or(c))
        .collect();
    let found = (!q.is_empty() && q.len() <= lower.len())
        .then(|| (0..=lower.len() - q.len()).find(|&i| lower[i..i + q.len()] == q[..]))
        .flatten();
    let text_of = |from: usize, to: usize| flat[from..to].iter().collect::<String>();
    match found {
        Some(at) => {
            let from = at.saturating_sub(CONTEXT_CHARS);
            let to = (at + q.len() + CONTEXT_CHARS).min(flat.len());
            format!(
                "{}{}<mark>{}</mark>{}{}",
                if from > 0 { "…" } else { "" },
                escape(&text_of(from, at)),
                escape(&text_of(at, at + q.len())),
                escape(&text_of(at + q.len(), to)),
                if to < flat.len() { "…" } else { "" },
            )
        }
        None => {
            let to = (2 * CONTEXT_CHARS).min(flat.len());
            format!(
                "{}{}",
                escape(&text_of(0, to)),
                if to < flat.len() { "…" } else { "" }
            )
        }
    }
}

/// Orders hits by score (highest first), then newest first, and cuts page `page` (from 0);
/// also returns how many there are.
pub fn page(mut hits: Vec<Hit>, page: usize) -> (Vec<Hit>, usize) {
    hits.sort_by(|a, b| {
        b.score
            .partial_cmp(&a.score)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| b.at.cmp(&a.at))
    });
    let total = hits.len();
    let shown = hits
        .into_iter()
        .skip(page * PAGE_SIZE)
        .take(PAGE_SIZE)
        .collect();
    (shown, total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snippet_marks_the_match_and_escapes_the_rest() {
        assert_eq!(
            snippet("<b>住民記録システム</b>の移行", "住民記録"),
            "&lt;b&gt;<mark>住民記録</mark>システム&lt;/b&gt;の移行"
        );
        assert_eq!(
            snippet("Government   Cloud\nmigration", "cloud"),
            "Government <mark>Cloud</mark> migration"
        );
        let long = format!("{}住民記録{}", "あ".repeat(50), "い".repeat(50));
        let s = snippet(&long, "住民記録");
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert_eq!(s.chars().filter(|c| *c == 'あ').count(), 40);
        assert_eq!(snippet("記録と住民", "住民記録"), "記録と住民");
    }

    #[test]
    fn a_query_becomes_the_character_pairs_the_index_holds() {
        assert_eq!(grams("住民記録"), "住民 民記 記録");
        assert_eq!(grams("Cloud 移行"), "cl lo ou ud 移行");
        assert_eq!(grams("e-Gov"), "go ov");
        assert_eq!(grams("R6年度"), "年度");
        assert_eq!(grams("あ い"), "");
    }

    #[test]
    fn queries_are_two_to_a_hundred_characters() {
        assert_eq!(clean_query(" 住民 "), Some("住民".to_owned()));
        assert_eq!(clean_query("住"), None);
        assert_eq!(clean_query(&"あ".repeat(101)), None);
    }

    #[test]
    fn pages_go_by_score_then_recency() {
        let hit = |score, at: i64| Hit {
            kind: "post".into(),
            title: String::new(),
            place: (String::new(), String::new()),
            link: String::new(),
            snippet_html: String::new(),
            score,
            at: chrono::DateTime::from_timestamp(at, 0).map(Timestamp),
        };
        let (first, total) = page(vec![hit(1.0, 5), hit(2.0, 1), hit(1.0, 9)], 0);
        assert_eq!(total, 3);
        let order: Vec<(f64, Option<i64>)> = first
            .iter()
            .map(|h| (h.score, h.at.map(|t| t.0.timestamp())))
            .collect();
        assert_eq!(order, vec![(2.0, Some(1)), (1.0, Some(9)), (1.0, Some(5))]);
        assert!(page(vec![hit(1.0, 1)], 1).0.is_empty());
    }
}
