//! `kyodo-surrealdb`: SurrealDB's own server and command line (`start`, `export`, `import`,
//! `isready`, `version`, …), built from the `surrealdb-server` crate with SurrealKV storage
//! only. For example:
//!
//! ```text
//! kyodo-surrealdb start --bind 127.0.0.1:8000 --user root --pass secret surrealkv://data/db
//! ```

// SurrealDB's futures are deep: its own server crate sets the same limit.
#![recursion_limit = "256"]

use std::process::ExitCode;

fn main() -> ExitCode {
    surrealdb_server::init(surrealdb_server::core::CommunityComposer())
}
