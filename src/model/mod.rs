//! The snapshot: facts exactly as the platform reported them (never verdicts).
//!
//! Schema v1. Everything here is plain data with serde; no I/O.

mod fact;
mod github;
mod gitlab;
mod org;
mod repo;
mod snapshot;

pub use fact::{Fact, NOT_IN_SNAPSHOT, Unreadable};
pub use github::*;
pub use gitlab::*;
pub use org::*;
pub use repo::*;
pub use snapshot::*;
