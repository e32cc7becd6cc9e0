//! Consultation topics (相談分野) and kinds (issue #11, item 1).
//!
//! The topics are GovTech Tokyo's 人材シェアリング fields of expertise; the list is data
//! (`app/data/consultation_topics.csv`: code, Japanese label, English label), read once at
//! start-up, so replacing the file replaces the list; codes are what bookings and advisor
//! profiles store.

use crate::i18n::Lang;
use serde::{Deserialize, Serialize};

/// The topic list shipped with Kyodo (CSV with a header: `code,name_ja,name_en`).
pub const TOPICS_CSV: &str = include_str!("../../../data/consultation_topics.csv");

/// One topic: its code and labels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Topic {
    /// Stored code, e.g. `standardization`.
    pub code: String,
    /// Japanese label, e.g. `標準化`.
    pub name_ja: String,
    /// English label.
    pub name_en: String,
}

impl Topic {
    /// The label in `lang`.
    pub fn label(&self, lang: Lang) -> &str {
        lang.pick(&self.name_ja, &self.name_en)
    }
}

/// The topics of [`TOPICS_CSV`] in file order, read once. Lines without three fields are
/// skipped (the shipped file is checked by a test).
pub fn topics() -> &'static [Topic] {
    static TOPICS: std::sync::LazyLock<Vec<Topic>> = std::sync::LazyLock::new(|| {
        TOPICS_CSV
            .lines()
            .skip(1)
            .filter_map(|line| {
                let mut fields = line.split(',').map(str::trim);
                let (code, ja, en) = (fields.next()?, fields.next()?, fields.next()?);
                (!code.is_empty() && !ja.is_empty()).then(|| Topic {
                    code: code.to_owned(),
                    name_ja: ja.to_owned(),
                    name_en: en.to_owned(),
                })
            })
            .collect()
    });
    &TOPICS
}

/// The topic code for a question about a standardization step ("Ask an advisor about this
/// step").
pub const STANDARDIZATION_TOPIC: &str = "standardization";

/// What kind of support a booking is: スポット相談 (one session, typically an hour) or
/// 伴走サポート (a series of sessions with one advisor).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsultationKind {
    /// スポット相談.
    SpotConsultation,
    /// 伴走サポート.
    AccompanyingSupport,
}

impl ConsultationKind {
    /// Both kinds.
    pub const ALL: [ConsultationKind; 2] = [
        ConsultationKind::SpotConsultation,
        ConsultationKind::AccompanyingSupport,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            ConsultationKind::SpotConsultation => "spot_consultation",
            ConsultationKind::AccompanyingSupport => "accompanying_support",
        }
    }

    /// The kind of a stored code.
    pub fn from_code(code: &str) -> Option<ConsultationKind> {
        ConsultationKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The label shown.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ConsultationKind::SpotConsultation => lang.pick("スポット相談", "Spot consultation"),
            ConsultationKind::AccompanyingSupport => {
                lang.pick("伴走サポート", "Accompanying support")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_topics_are_whole_and_unique_and_include_standardization() {
        let all = topics();
        assert_eq!(
            all.len(),
            TOPICS_CSV
                .lines()
                .skip(1)
                .filter(|l| !l.trim().is_empty())
                .count()
        );
        let mut codes: Vec<&str> = all.iter().map(|t| t.code.as_str()).collect();
        assert!(codes.contains(&STANDARDIZATION_TOPIC));
        assert!(all.iter().all(|t| !t.name_en.is_empty()));
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
        assert_eq!(
            ConsultationKind::from_code("accompanying_support"),
            Some(ConsultationKind::AccompanyingSupport)
        );
    }
}
