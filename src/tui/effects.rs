//! Effects: the work `update` asks the run loop to do outside the pure core.

use std::path::PathBuf;

use super::search::SearchJob;

/// What to sync: the org of the snapshot being explored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncRequest {
    /// `github` or `gitlab`.
    pub provider: crate::model::Provider,
    /// Org login or group path.
    pub org: String,
    /// API base the snapshot came from.
    pub api_host: String,
}

/// Something the run loop does after `update`.
#[derive(Debug, Clone)]
pub enum Effect {
    /// Run a fuzzy search on the worker.
    Search(SearchJob),
    /// Load and judge a cached snapshot, then answer with `Action::Loaded`.
    OpenSnapshot(PathBuf),
    /// Sync the org from the platform, then answer with `Action::SyncDone`.
    Sync(SyncRequest),
    /// Stop the sync in flight (the previous snapshot stays as it was).
    CancelSync,
    /// Leave the explorer.
    Quit,
}
