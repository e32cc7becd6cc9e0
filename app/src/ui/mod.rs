//! The UI kit every page uses (layer 1): how a server answer shows (errors, loading), form
//! controls whose rendering must be exactly right everywhere, and layout frames. Imports only
//! leaf modules and models, never a capability or the shell.

mod enhance;
mod feedback;
mod scroll_region;
mod text_area;

pub use enhance::Enhancements;
pub use feedback::{ErrorView, loading, render, set_status};
pub use scroll_region::ScrollRegion;
pub use text_area::{TextArea, raw_text_content};

use crate::auth::model::CurrentUser;
use crate::error::AppError;
use leptos::prelude::*;

/// The signed-in user of this page load, provided by the shell and read by pages and the
/// header (`expect_context::<UserResource>()`).
pub type UserResource = Resource<Result<Option<CurrentUser>, AppError>>;
