//! Effects: the work `update` asks the run loop to do outside the pure core.

use std::path::PathBuf;

use super::search::SearchJob;

/// Something the run loop does after `update`.
#[derive(Debug, Clone)]
pub enum Effect {
    /// Run a fuzzy search on the worker.
    Search(SearchJob),
    /// Load and judge a cached snapshot, then answer with `Action::Loaded`.
    OpenSnapshot(PathBuf),
    /// Leave the explorer.
    Quit,
}
