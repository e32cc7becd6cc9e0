//! Organisations: 東京都, the 62 municipalities of Tokyo and GovTech Tokyo.

pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod server;
