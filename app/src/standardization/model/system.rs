//! The 20 standard systems (標準化対象20業務).

use crate::i18n::Lang;
use serde::Deserialize;
use serde::Serialize;

/// One of the 20 standard systems (`standard_systems.csv`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StandardSystem {
    /// 1–20, as municipalities number them.
    pub no: u8,
    /// Stable code, e.g. `resident_registry`.
    pub code: String,
    /// e.g. 住民基本台帳.
    pub name_ja: String,
    /// e.g. Resident registry.
    pub name_en: String,
    /// 所管府省, e.g. 総務省.
    pub ministry_ja: String,
}

impl StandardSystem {
    /// The name in the chosen language.
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(&self.name_ja, &self.name_en)
    }
}
