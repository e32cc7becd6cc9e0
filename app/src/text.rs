//! Japanese text as people type it: folding the variants that mean the same thing, so that
//! names compare and searches match, and cutting text on user-perceived characters.
//!
//! A layer-0 leaf (imports nothing from the crate), shared by server and browser. Folded
//! strings are comparison keys only: what is stored and shown stays as written (at most
//! NFC-normalized, which is canonically equivalent).
//!
//! - [`same_place_name`]: 青ケ島村 is 青ヶ島村, 桧原村 is 檜原村 (the import's name check).
//! - [`search_key`]: チヨダ, ﾁﾖﾀﾞ and ちよだ are one query; ＣＨＩＹＯＤＡ is chiyoda.
//! - [`excerpt`]: the start of a text cut between grapheme clusters, never inside か + ゛ or
//!   an emoji sequence.

use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;
use wana_kana::ConvertJapanese;

/// Whether `c` is a variation selector: VS1–VS16 (U+FE00–U+FE0F, e.g. emoji presentation)
/// or VS17–VS256 (U+E0100–U+E01EF, the Ideographic Variation Database's kanji glyph
/// variants such as 葛󠄀). They choose a glyph, never a different character.
pub fn is_variation_selector(c: char) -> bool {
    matches!(c, '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}')
}

/// Width and compatibility folding: variation selectors removed, then NFKC (Unicode
/// Standard Annex #15), so half-width katakana become full-width (ﾁﾖﾀﾞ → チヨダ, the
/// half-width ﾞ joined to its letter), full-width letters, digits and spaces become ASCII
/// (ＡＢＣ１２３ → ABC123) and CJK compatibility ideographs become their unified form.
/// Not trimmed.
pub fn fold_width(s: &str) -> String {
    s.chars()
        .filter(|c| !is_variation_selector(*c))
        .collect::<String>()
        .nfkc()
        .collect()
}

/// Old (旧字体) and variant kanji seen in Japanese place names, each with the common form
/// it folds to: (variant, common). NFKC leaves these alone because Unicode encodes them as
/// separate characters (﨑 U+FA11 is one of the twelve compatibility-block ideographs
/// without a decomposition). Sources: the 旧字体 that the 常用漢字表 (2010) prints in
/// brackets beside the common form (澤, 邊, 德, 國, 澁, 濱, 瀧, 廣, 齋, 齊, 靑), and 異体字
/// kept in official names and family registers (檜/桧 as in 檜原村, 嶋/嶌, 邉, 﨑/嵜, 髙).
/// Which side is "common" only matters for consistency: both sides of a comparison fold.
pub const KANJI_VARIANTS: [(char, char); 18] = [
    ('檜', '桧'), // 檜原村
    ('嶋', '島'), // 青ヶ島, 大島, 豊島 …
    ('嶌', '島'),
    ('澤', '沢'),
    ('邊', '辺'),
    ('邉', '辺'),
    ('﨑', '崎'),
    ('嵜', '崎'),
    ('髙', '高'),
    ('德', '徳'),
    ('國', '国'), // 国立市, 国分寺市
    ('澁', '渋'), // 渋谷区
    ('濱', '浜'),
    ('瀧', '滝'),
    ('廣', '広'),
    ('齋', '斎'),
    ('齊', '斉'),
    ('靑', '青'), // 青梅市, 青ヶ島村
];

/// The common form of a kanji from [`KANJI_VARIANTS`]; any other character unchanged.
pub fn common_kanji(c: char) -> char {
    KANJI_VARIANTS
        .iter()
        .find(|(variant, _)| *variant == c)
        .map_or(c, |(_, common)| *common)
}

/// A municipality name folded for comparison: [`fold_width`], trimmed, every kanji from
/// [`KANJI_VARIANTS`] in its common form, and the ヶ of place names (a small ケ standing for
/// the particle が, as in 青ヶ島) written in any of the ways people type it — ヶ, ケ, ヵ, カ
/// (and hiragana small ゖ, ゕ; half-width ｹ and ｶ after NFKC) — as ケ. Folding カ with ケ
/// cannot merge two of Tokyo's names: none differ in that letter alone.
pub fn fold_place_name(s: &str) -> String {
    fold_width(s)
        .trim()
        .chars()
        .map(|c| match c {
            'ヶ' | 'ヵ' | 'カ' | 'ゖ' | 'ゕ' => 'ケ',
            c => common_kanji(c),
        })
        .collect()
}

/// Whether two municipality names are the same place as written ([`fold_place_name`]):
/// `same_place_name("青ケ島村", "青ヶ島村")` and `same_place_name("桧原村", "檜原村")` hold,
/// `same_place_name("八丈町", "青ヶ島村")` does not.
pub fn same_place_name(a: &str, b: &str) -> bool {
    fold_place_name(a) == fold_place_name(b)
}

/// A search key: [`fold_width`], trimmed, lower case (so English names and codes compare
/// case-insensitively), kanji from [`KANJI_VARIANTS`] in their common form, small ヶ/ヵ as
/// ケ/カ, and katakana as hiragana (チヨダ → ちよだ; the prolonged sound mark ー kept).
/// Apply it to both the query and the text searched.
pub fn search_key(s: &str) -> String {
    let folded: String = fold_width(s)
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'ヶ' => 'ケ',
            'ヵ' => 'カ',
            c => common_kanji(c),
        })
        .collect();
    // Katakana only: `pass_romaji` keeps Latin letters as they are (no romaji guessing).
    let options = wana_kana::Options {
        pass_romaji: true,
        keep_prolonged_sound_mark: true,
        ..Default::default()
    };
    folded.as_str().to_hiragana_with_opt(options)
}

/// The start of `text` as an excerpt of at most `max` grapheme clusters (Unicode Standard
/// Annex #29: what a reader sees as one character, e.g. か + U+3099 or a family emoji joined
/// by ZWJ), with `…` appended when anything is left out.
///
/// `more` says that `text` is itself only the start of a longer text (e.g. a slice taken in
/// the database): its last cluster may then be incomplete, so it is never shown, and the
/// excerpt always ends in `…`.
pub fn excerpt(text: &str, more: bool, max: usize) -> String {
    let mut end = 0;
    let mut last_start = 0;
    let mut cut = more;
    for (n, (start, cluster)) in text.grapheme_indices(true).enumerate() {
        if n == max {
            cut = true;
            break;
        }
        last_start = start;
        end = start + cluster.len();
    }
    if more && end == text.len() {
        end = last_start;
    }
    let mut out = text[..end].to_owned();
    if cut {
        out.push('…');
    }
    out
}

/// Whether `c` prints nothing by itself: zero-width and joining characters, direction marks
/// and overrides, the soft hyphen, blank fillers (U+3164 ㅤ, U+2800 ⠀, U+115F, U+1160,
/// U+FFA0) and combining marks (U+0300–U+036F, U+3099–U+309A, U+FE00–U+FE0F) with nothing
/// to combine with.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00ad}'
            | '\u{034f}'
            | '\u{0300}'..='\u{036f}'
            | '\u{115f}'
            | '\u{1160}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{2800}'
            | '\u{3099}'
            | '\u{309a}'
            | '\u{3164}'
            | '\u{fe00}'..='\u{fe0f}'
            | '\u{feff}'
            | '\u{ffa0}'
    )
}

/// Text in Unicode Normalization Form C (canonical composition, UAX #15): the same text
/// with decomposed kana (か + U+3099) composed (が), nothing else changed (unlike NFKC,
/// full-width letters stay full-width).
pub fn nfc(value: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    value.nfc().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variation_selectors_are_dropped_and_width_is_folded() {
        assert_eq!(fold_width("葛\u{E0100}飾区"), "葛飾区");
        assert_eq!(fold_width("辻\u{FE00}"), "辻");
        assert_eq!(fold_width("ﾁﾖﾀﾞ"), "チヨダ");
        assert_eq!(fold_width("ＣＨＩＹＯＤＡ　１３１０１６"), "CHIYODA 131016");
        // A compatibility ideograph with a decomposition (塚 U+FA10) becomes 塚 U+585A.
        assert_eq!(fold_width("\u{FA10}"), "\u{585A}");
        // NFKC composes a combining dakuten with its letter.
        assert_eq!(fold_width("か\u{3099}"), "が");
    }

    #[test]
    fn the_ways_people_write_aogashima_are_one_name() {
        for typed in [
            "青ヶ島村",
            "青ケ島村",
            "青ヵ島村",
            "青カ島村",
            "青ｹ島村",
            "青ｶ島村",
            " 青ケ島村　",
            "靑ヶ嶋村",
            "青ヶ島\u{FE00}村",
        ] {
            assert!(same_place_name(typed, "青ヶ島村"), "{typed}");
        }
    }

    #[test]
    fn old_and_variant_kanji_fold_to_the_common_form() {
        assert!(same_place_name("桧原村", "檜原村"));
        assert!(same_place_name("檜原村", "桧原村"));
        assert!(same_place_name("國立市", "国立市"));
        assert!(same_place_name("澁谷区", "渋谷区"));
        assert!(same_place_name("豊嶋区", "豊島区"));
        for (variant, common) in KANJI_VARIANTS {
            assert_eq!(common_kanji(variant), common);
            assert_eq!(common_kanji(common), common, "{common} is already common");
            assert_ne!(variant, common);
        }
        assert_eq!(
            fold_place_name("長﨑 髙田 德島 渡邉 澤"),
            "長崎 高田 徳島 渡辺 沢"
        );
    }

    #[test]
    fn different_places_stay_different() {
        assert!(!same_place_name("八丈町", "青ヶ島村"));
        assert!(!same_place_name("青ヶ島", "青ヶ島村"));
        assert!(!same_place_name("大島町", "利島村"));
        assert!(!same_place_name("", "青ヶ島村"));
    }

    #[test]
    fn search_keys_fold_kana_width_and_case() {
        for typed in ["チヨダ", "ﾁﾖﾀﾞ", "ちよだ", "チヨタ\u{3099}", " チヨダ "]
        {
            assert_eq!(search_key(typed), "ちよだ", "{typed}");
        }
        assert_eq!(search_key("ＣＨＩＹＯＤＡ"), "chiyoda");
        assert_eq!(search_key("Chiyoda"), "chiyoda", "Latin letters stay Latin");
        assert_eq!(search_key("１３１０"), "1310");
        assert_eq!(search_key("青ケ島"), search_key("青ヶ島"));
        assert_eq!(search_key("桧原"), search_key("檜原"));
        assert_eq!(search_key("千代田区"), "千代田区");
        assert_eq!(
            search_key("スーパー"),
            "すーぱー",
            "the prolonged sound mark is kept"
        );
    }

    #[test]
    fn excerpts_cut_between_grapheme_clusters() {
        // か + combining dakuten is one cluster: never split from its letter.
        let ga = "か\u{3099}";
        let text = ga.repeat(5);
        assert_eq!(excerpt(&text, false, 3), format!("{}…", ga.repeat(3)));
        // A family emoji (four people joined by ZWJ) is one cluster.
        let family = "👨\u{200D}👩\u{200D}👧\u{200D}👦";
        let text = format!("あ{family}い");
        assert_eq!(excerpt(&text, false, 2), format!("あ{family}…"));
        assert_eq!(excerpt(&text, false, 1), "あ…");
        // Short texts come back whole, without an ellipsis.
        assert_eq!(excerpt(&text, false, 3), text);
        assert_eq!(excerpt("", false, 80), "");
    }

    #[test]
    fn a_database_slice_never_shows_its_possibly_cut_last_cluster() {
        // The slice ended inside the family emoji: the broken cluster is dropped.
        let sliced = "あい👨\u{200D}👩";
        assert_eq!(excerpt(sliced, true, 80), "あい…");
        // More clusters than `max` in the slice: cut at `max` as usual.
        assert_eq!(excerpt("あいうえお", true, 2), "あい…");
    }
}

/// Text of a multi-line field (notes, comments) as a browser would post it back: line ends
/// as `\n` (a lone `\r` or `\r\n` becomes `\n`), and no control characters other than `\n`
/// and `\t` (NUL and the rest of C0/C1 are dropped; a browser would show them as U+FFFD).
pub fn clean_multiline(s: &str) -> String {
    let unified = s.replace("\r\n", "\n").replace('\r', "\n");
    unified
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .collect()
}

/// Text of a one-line field (vendor, product, a title): as [`clean_multiline`], with line
/// breaks and tabs turned into spaces (an `<input>` cannot hold them and would drop them on the
/// next save), and without the bidirectional embedding, override and isolate controls
/// (U+202A–U+202E, U+2066–U+2069), which would reverse the text around the field wherever it is
/// shown (a title in a notice, a list, `<title>`).
pub fn clean_line(s: &str) -> String {
    clean_multiline(s)
        .chars()
        .filter(|c| !matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
        .map(|c| if matches!(c, '\n' | '\t') { ' ' } else { c })
        .collect()
}

/// Whether a text prints nothing: only white space and characters that show nothing
/// ([`is_invisible`]: zero-width spaces, fillers, direction marks, …).
pub fn is_blank(s: &str) -> bool {
    s.chars().all(|c| c.is_whitespace() || is_invisible(c))
}

#[cfg(test)]
mod clean_tests {
    use super::*;

    #[test]
    fn one_line_fields_lose_direction_overrides_and_blank_means_prints_nothing() {
        assert_eq!(clean_line("abc\u{202e}FDP.exe\u{2066}x"), "abcFDP.exex");
        assert!(is_blank(" \u{200b}\u{3164}\u{202e} "));
        assert!(!is_blank(" a "));
    }

    #[test]
    fn control_characters_and_line_ends_are_what_a_browser_posts_back() {
        assert_eq!(clean_multiline("a\r\nb\rc\u{0}d\u{7}e\tf"), "a\nb\ncde\tf");
        assert_eq!(clean_line("v\u{0}x\r\ny\tz"), "vx y z");
        assert_eq!(clean_line("ベンダA"), "ベンダA");
    }
}
