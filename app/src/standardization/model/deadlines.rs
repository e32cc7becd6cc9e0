//! The national deadlines: the FY2025 migration target and the end of the 特定移行支援 extension.

use chrono::NaiveDate;

/// Latest allowed extension target date for 特定移行支援システム: end of FY2030.
pub fn latest_extension_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2031, 3, 31).expect("valid date")
}

/// The national migration target: end of FY2025.
pub fn national_target_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 31).expect("valid date")
}
