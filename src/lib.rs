//! # crona_sync
//!
//! The core of crona-sync: keeps a Crona Lön employee register in step with the people of a Huma
//! organisation. It is *sans-IO*: it decides what to request and what the answers mean; the
//! runners (the browser page and the Node CLI, in JavaScript) perform the HTTP calls. The core has
//! no clock, no randomness and never sees a secret; "today" and "now" come in through
//! [`SessionConfig`].
//!
//! Only `wasm.rs` knows about JavaScript; everything else is plain Rust with native tests.

pub mod apply;
pub mod bank;
mod body;
pub mod config;
mod counted;
mod create;
pub mod crona;
pub mod dates;
pub mod diff;
pub mod error;
pub mod fetch;
pub mod fingerprint;
pub mod huma;
pub mod listing;
pub mod matching;
pub mod model;
pub mod normalize;
mod outbox;
pub mod plan;
pub mod positions;
pub mod preview;
pub mod push;
pub mod report;
pub mod request;
pub mod resolve;
pub mod session;
pub mod state;
pub mod unique;
pub mod values;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use config::{Options, Scope, SessionConfig};
pub use error::{Error, Result};
pub use session::{Phase, SyncSession};

/// The version of this core, as in `Cargo.toml` (the npm package carries the same number).
///
/// ```
/// assert_eq!(crona_sync::version(), env!("CARGO_PKG_VERSION"));
/// ```
pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}
