//! The embedded demo org (GitHub `acme`) and group (GitLab `acme-gl`), and synthetic orgs of
//! any size for benchmarks. Everything here is deterministic: same input, same snapshot.

mod github;
mod gitlab;
mod gitlab_projects;
mod rng;
mod synthetic;
mod templates;
mod varied;

pub use rng::SplitMix64;
pub use templates::{Gl, Pc, Wf};

use crate::cli::DemoKind;
use crate::model::Snapshot;

/// The embedded demo: the GitHub org `acme` (taken 2026-11-23T09:00:00Z) or the GitLab
/// group `acme-gl`. No token, no network; the same snapshot on every call.
pub fn embedded(kind: DemoKind) -> Snapshot {
    match kind {
        DemoKind::Github => github::snapshot(),
        DemoKind::Gitlab => gitlab::snapshot(),
    }
}

/// A synthetic GitHub org of `repos` repositories, deterministic per `seed`: mostly private,
/// about 5% archived, heavy-tailed traffic, about a third protected, a handful of org
/// rulesets, and pipelines drawn from the demo's templates (so `files` stays small).
pub fn synthetic(repos: usize, seed: u64) -> Snapshot {
    synthetic::synthetic(repos, seed)
}

/// [`synthetic`] with realistically varied pipeline texts: `percent` of the repositories get
/// unique workflow texts of realistic size (the share of unique texts in real orgs is about
/// 30%), and every repository has at least two workflow files. For benchmarks of
/// re-analysis at org scale.
pub fn synthetic_varied(repos: usize, seed: u64, percent: u64) -> Snapshot {
    let mut snapshot = synthetic::synthetic(repos, seed);
    varied::vary_pipelines(&mut snapshot, seed, percent);
    snapshot
}
