//! Ranking repositories by traffic (spec "Ranking"). Pure.

use serde::Serialize;

use crate::model::Snapshot;

/// Where a repository's rank came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RankSource {
    /// GitHub 14-day views.
    Traffic,
    /// GitLab 30-day fetches.
    Statistics,
    /// Stars + forks, because traffic was unreadable.
    Fallback,
}

/// The ranking of a snapshot's repositories.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ranking {
    /// Repository indices in rank order: ranked ones (rank 1 first), then archived ones.
    pub order: Vec<usize>,
    /// Rank by repository index (`None` for archived repositories).
    pub rank: Vec<Option<u32>>,
    /// Rank source by repository index (`None` for archived repositories).
    pub source: Vec<Option<RankSource>>,
}

/// Rank the snapshot's repositories.
pub fn rank(snapshot: &Snapshot) -> Ranking {
    let _ = snapshot;
    Ranking::default()
}
