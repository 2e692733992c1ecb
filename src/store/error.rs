//! What can go wrong with the snapshot cache. `Display` is the one line the user sees; the
//! exit code is chosen at the command boundary (`commands::errors`).

use std::io;
use std::path::PathBuf;

use super::CACHE_DIR_ENV;
use super::load::LoadError;

/// The snapshot cache could not be used.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Neither `POSTURE_CACHE_DIR` nor a platform cache dir is available.
    #[error("cannot find a cache directory for snapshots; set {CACHE_DIR_ENV}")]
    NoCacheDir,
    /// Saving a snapshot into the cache dir failed.
    #[error("cannot save the snapshot in {}: {source}", .dir.display())]
    Save {
        /// The cache dir.
        dir: PathBuf,
        /// The I/O error.
        source: io::Error,
    },
    /// Listing the cache dir failed.
    #[error("cannot read the snapshot cache {}: {source}", .dir.display())]
    Read {
        /// The cache dir.
        dir: PathBuf,
        /// The I/O error.
        source: io::Error,
    },
    /// Pruning could not delete a snapshot file.
    #[error("cannot delete {}: {source}", .path.display())]
    Delete {
        /// The snapshot file.
        path: PathBuf,
        /// The I/O error.
        source: io::Error,
    },
    /// A snapshot file could not be loaded.
    #[error(transparent)]
    Load(#[from] LoadError),
}
