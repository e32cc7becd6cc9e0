//! Kyodo's one integration-test binary: every test builds its own app on an in-memory
//! database (`common::TestApp`), so tests run in parallel. One module per capability, like
//! `app/src`, plus `architecture` (the import rule) and `api` (the HTTP surface that every
//! room shares: sessions, sign-in, reference data, errors and headers).

mod api;
mod architecture;
mod attachments;
mod backup;
mod common;
mod consultations;
mod council;
mod history;
mod notifications;
mod projects;
mod properties;
mod standardization;
mod threads;
mod volume;
