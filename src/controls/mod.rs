//! The controls: each one a `const` (definition + judge) in its band's module, listed once
//! in [`registry`]; the judges that run them; the catalog and verdicts they produce.
//! Pure: no I/O.

pub mod branch;
mod branch_github;
mod branch_gitlab;
mod branch_release;
mod catalog;
mod context;
pub mod control;
pub mod effective;
pub(crate) mod identity;
pub(crate) mod isolation;
mod judge;
pub(crate) mod org;
pub(crate) mod pinning;
mod pipelines;
pub(crate) mod policy;
pub mod registry;
pub(crate) mod secrets;
mod verdict;
pub mod waivers;

pub use catalog::*;
pub use context::*;
pub use control::{ControlId, Definition, OrgControl, RepoControl};
pub use judge::{
    Judge, STATIC_KEY_NAMES, is_static_key_name, judge_org, judge_repo, org_secret_visible,
};
pub use pinning::is_slsa_release_tag;
pub use verdict::*;

#[cfg(test)]
mod tests;
