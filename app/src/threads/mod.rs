//! Threads (layer 3): one discussion kind that any room attaches to its subject (a tracker
//! step today; a project, a booking, a working group next). Markdown posts, replies within the
//! thread, edits by their author with the earlier versions kept. Who may read and post is the
//! subject owner's rule ([`crate::policy::may_read_thread`], [`crate::policy::may_post`]); the room writes a post together with its
//! notices ([`repo::add_post`]); `pages::Thread` shows a thread with its post form.

pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod server;
