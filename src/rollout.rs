//! The rollout sequence (spec "Rollout sequence"). Pure.

use serde::Serialize;

use crate::controls::{Catalog, Verdict};
use crate::model::Snapshot;
use crate::rank::Ranking;

/// One step of the rollout sequence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RolloutStep {
    /// 1 to 4.
    pub step: u8,
    /// Stable id, e.g. `oidc-first-account`.
    pub id: &'static str,
    /// Title.
    pub title: &'static str,
    /// Expected effort from the playbook (a week; a few hours; a configuration change; the longest tail).
    pub effort: &'static str,
    /// Units done.
    pub done: usize,
    /// Units in all.
    pub total: usize,
    /// The step is complete.
    pub complete: bool,
    /// Indices of the repositories that block it, in rank order.
    pub blocking: Vec<usize>,
}

/// Compute the four steps from the verdicts.
pub fn rollout(
    snapshot: &Snapshot,
    catalog: &Catalog,
    org: &[Verdict],
    repos: &[Vec<Verdict>],
    ranking: &Ranking,
) -> Vec<RolloutStep> {
    let _ = (snapshot, catalog, org, repos, ranking);
    Vec::new()
}
