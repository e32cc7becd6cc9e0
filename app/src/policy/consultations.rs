//! Talent-sharing consultations (人材シェアリング): who may book, see and change a booking.
//!
//! Source: issue #11. A municipality's CIO or staff books a consultation for their own
//! municipality. A booking is seen by its requester, the requester's municipality's CIO, the
//! advisor who gives it, and the secretariat (Tokyo officers and administrators). Either side
//! cancels or moves it (the requester, the advisor, the secretariat); only the advisor (or the
//! secretariat) confirms it and records its outcome. An advisor edits their own profile, and only it.

use crate::auth::model::{CurrentUser, Role};

/// What the rules need to know about a booking (from the stored booking; no user input).
#[derive(Debug, Clone, Copy)]
pub struct BookingAccess<'a> {
    /// The requester's user key.
    pub requester: &'a str,
    /// The requester's organisation key.
    pub organisation: &'a str,
    /// The advisor's user key.
    pub advisor: &'a str,
}

fn secretariat(user: &CurrentUser) -> bool {
    user.has(Role::TokyoOfficer) || user.has(Role::Admin)
}

/// Whether `user` may book a consultation (for their own municipality).
pub fn may_book_consultation(user: &CurrentUser) -> bool {
    user.is_municipal() && (user.has(Role::Cio) || user.has(Role::Staff))
}

/// Whether `user` may see the booking.
pub fn may_read_booking(user: &CurrentUser, b: &BookingAccess) -> bool {
    secretariat(user)
        || user.id.as_str() == b.requester
        || user.id.as_str() == b.advisor
        || (user.has(Role::Cio) && user.organisation.key == b.organisation)
}

/// Whether `user` may cancel or move the booking (either side).
pub fn may_cancel_booking(user: &CurrentUser, b: &BookingAccess) -> bool {
    secretariat(user) || user.id.as_str() == b.requester || user.id.as_str() == b.advisor
}

/// Whether `user` may confirm the booking and record its outcome (the advisor's side).
pub fn may_give_booking(user: &CurrentUser, b: &BookingAccess) -> bool {
    secretariat(user) || (user.has(Role::GovtechAdvisor) && user.id.as_str() == b.advisor)
}

/// Whether `user` may edit the advisor profile `advisor`: a GovTech Tokyo advisor, their own
/// only (hours, topics and pausing are the advisor's own decisions).
pub fn may_edit_advisor(user: &CurrentUser, advisor: &str) -> bool {
    user.has(Role::GovtechAdvisor) && user.id.as_str() == advisor
}

/// Whether `user` may rate the booking: its requester only.
pub fn may_rate_booking(user: &CurrentUser, b: &BookingAccess) -> bool {
    user.id.as_str() == b.requester
}

/// Whether `user` sees every booking in the lists (the secretariat: Tokyo officers and
/// administrators); everyone else sees the bookings they take part in.
pub fn may_read_all_bookings(user: &CurrentUser) -> bool {
    secretariat(user)
}

/// Whether `user` may see advisor `advisor`'s day and week (bookings with their subjects): the
/// advisor themself and the secretariat.
pub fn may_read_schedule(user: &CurrentUser, advisor: &str) -> bool {
    secretariat(user) || (user.has(Role::GovtechAdvisor) && user.id.as_str() == advisor)
}

/// Whether `user` may see GovTech Tokyo's overview of all consultations (counts by topic,
/// municipality and month, ratings, lead times, and its CSV; no subjects, descriptions or
/// names): GovTech Tokyo's people and the secretariat.
pub fn may_read_consultation_overview(user: &CurrentUser) -> bool {
    secretariat(user) || user.organisation.key == crate::orgs::model::GOVTECH_KEY
}

/// Whether `user` may see a 伴走 case and post in its thread (`e`: its contact, municipality
/// and advisor): as for a booking ([`may_read_booking`]).
pub fn may_read_engagement(user: &CurrentUser, e: &BookingAccess) -> bool {
    may_read_booking(user, e)
}

/// Whether `user` may change a 伴走 case's status, or start one from a booking: its advisor
/// or the secretariat ([`may_give_booking`]).
pub fn may_manage_engagement(user: &CurrentUser, e: &BookingAccess) -> bool {
    may_give_booking(user, e)
}

/// Whether `user` may book a next session of a 伴走 case of `organisation`: that
/// municipality's CIO or staff ([`may_book_consultation`]).
pub fn may_book_engagement_session(user: &CurrentUser, organisation: &str) -> bool {
    may_book_consultation(user) && user.organisation.key == organisation
}
