//! Consultations domain types, one concept per file: an advisor's availability and the free
//! slots it offers (and its hours as the profile form's text), the round robin that picks an advisor, a booking's lifecycle, the
//! consultation topics, and the overview's counts.
//!
//! Units: durations in minutes, notice windows in hours; instants are
//! `chrono::DateTime<Utc>`, shown in JST (Asia/Tokyo); an advisor's hours are local times of
//! the advisor's own zone. The slot arithmetic (`availability`, `assignment`) runs on the
//! server only (it needs the time-zone and holiday tables).

#[cfg(feature = "ssr")]
mod assignment;
#[cfg(feature = "ssr")]
mod availability;
mod engagement;
#[cfg(feature = "ssr")]
mod hours_text;
mod lifecycle;
mod overview;
mod topic;

#[cfg(feature = "ssr")]
pub use assignment::*;
#[cfg(feature = "ssr")]
pub use availability::*;
pub use engagement::*;
#[cfg(feature = "ssr")]
pub use hours_text::*;
pub use lifecycle::*;
pub use overview::*;
pub use topic::*;
