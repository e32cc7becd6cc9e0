//! The UI kit every page uses (layer 1): form controls whose rendering must be exactly right
//! everywhere. Imports nothing from the rest of the crate.

mod text_area;

pub use text_area::{TextArea, raw_text_content};
