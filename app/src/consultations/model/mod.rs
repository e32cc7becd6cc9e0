//! Consultations domain types, one concept per file: an advisor's availability and the free
//! slots it offers, the round robin that picks an advisor, a booking's lifecycle, and the
//! consultation topics.
//!
//! Units: durations in minutes, notice windows in hours; instants are
//! `chrono::DateTime<Utc>`, shown in JST (Asia/Tokyo); an advisor's hours are local times of
//! the advisor's own zone. The slot arithmetic (`availability`, `assignment`) runs on the
//! server only (it needs the time-zone and holiday tables).

#[cfg(feature = "ssr")]
mod assignment;
#[cfg(feature = "ssr")]
mod availability;
mod lifecycle;
mod topic;

#[cfg(feature = "ssr")]
pub use assignment::*;
#[cfg(feature = "ssr")]
pub use availability::*;
pub use lifecycle::*;
pub use topic::*;
