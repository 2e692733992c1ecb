//! The control catalog and the judges. Pure: no I/O.

pub mod branch;
mod branch_gitlab;
mod branch_release;
mod catalog;
mod context;
pub mod effective;
mod identity;
mod isolation;
mod judge;
mod org;
mod pinning;
mod pipelines;
mod policy;
mod secrets;
mod verdict;
pub mod waivers;

pub use catalog::*;
pub use context::*;
pub use judge::{
    Judge, REPO_CONTROL_ORDER, STATIC_KEY_NAMES, is_static_key_name, judge_org, judge_repo,
    org_secret_visible,
};
pub use pinning::is_slsa_release_tag;
pub use verdict::*;

#[cfg(test)]
mod judge_tests;
