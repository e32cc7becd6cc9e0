//! Joint projects (協働事業) domain types, shared by server and browser, one concept per file.
//!
//! A municipality or the council secretariat leads a project of one of four kinds
//! ([`ProjectKind`]: 共同調達, 人材シェアリング, 共同運営, 区市町村提案), visible to the
//! whole council or to invited organisations ([`Visibility`]). It moves through
//! [`ProjectStatus`] (下書き → 参加募集 → 参加確定 → 調達 → 契約 → 運用 → 終了, or 中止)
//! under [`check_transition`]; municipalities join while the call is open ([`check_join`]);
//! costs are shared (応分負担) by [`allocate`], exactly to the yen.
//!
//! Units: money is whole yen in `i64` (at most [`MAX_YEN`] = 10^13); instants are
//! `chrono::DateTime<Utc>`, judged by server time and shown in JST (+09:00, [`fmt_jst`]).
//! Municipalities are identified by their 6-digit 全国地方公共団体コード (`lg_code`).

mod cost;
mod kind;
mod lifecycle;
mod listing;
mod participation;
mod partners;
mod project;

pub use cost::*;
pub use kind::*;
pub use lifecycle::*;
pub use listing::*;
pub use participation::*;
pub use partners::*;
pub use project::*;
