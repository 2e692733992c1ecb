//! The snapshot cache: one JSON file per sync in the cache dir (`POSTURE_CACHE_DIR`, else the
//! platform cache dir), written atomically and privately, listed newest first without parsing
//! the snapshots, pruned per org; and loading a snapshot file with one-line errors.

mod error;
mod hosts;
mod index;
mod load;
pub(crate) mod name;
pub(crate) mod write;

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::Serialize;

pub use error::StoreError;
pub use load::{LoadError, LoadErrorKind, load, parse};

use crate::model::{Provider, Snapshot};

/// The environment variable that overrides the cache dir.
pub const CACHE_DIR_ENV: &str = "POSTURE_CACHE_DIR";

/// A cached snapshot as listed: enough to choose one without loading it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SnapshotInfo {
    /// The snapshot file.
    pub path: PathBuf,
    /// Platform.
    pub provider: Provider,
    /// Org login or full group path.
    pub org: String,
    /// When the sync finished.
    pub taken_at: DateTime<Utc>,
    /// Number of repositories (projects) in it.
    pub repos: usize,
}

/// The snapshot cache directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Store {
    dir: PathBuf,
}

impl Store {
    /// The cache from `POSTURE_CACHE_DIR`, else the platform cache dir (`directories`).
    pub fn open() -> Result<Store, StoreError> {
        if let Some(dir) = std::env::var_os(CACHE_DIR_ENV).filter(|d| !d.is_empty()) {
            return Ok(Store::at(dir));
        }
        directories::ProjectDirs::from("dev", "posture", "posture")
            .map(|dirs| Store::at(dirs.cache_dir()))
            .ok_or(StoreError::NoCacheDir)
    }

    /// The cache at `dir` (created on the first save).
    pub fn at(dir: impl Into<PathBuf>) -> Store {
        Store { dir: dir.into() }
    }

    /// The cache directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Save a snapshot as a new file (atomic, mode 0600 on unix) and return its path.
    /// A failed save leaves every existing file as it was.
    pub fn save(&self, snapshot: &Snapshot) -> Result<PathBuf, StoreError> {
        let fail = |source: io::Error| StoreError::Save {
            dir: self.dir.clone(),
            source,
        };
        write::ensure_dir(&self.dir).map_err(fail)?;
        let stem = name::stem(snapshot.provider, &snapshot.org, snapshot.taken_at);
        let meta_name = format!("{stem}.{}", name::META_EXT);
        let file_name = format!("{stem}.{}", name::SNAPSHOT_EXT);
        let path = write::write_atomic(&self.dir, &file_name, |w| {
            serde_json::to_writer(w, snapshot).map_err(io::Error::other)
        })
        .map_err(fail)?;
        let bytes = std::fs::metadata(&path).map_err(fail)?.len();
        let meta = index::Meta {
            schema_version: u64::from(snapshot.schema_version),
            provider: snapshot.provider,
            org: snapshot.org.clone(),
            taken_at: snapshot.taken_at,
            repos: snapshot.repos.len(),
            bytes,
        };
        // The sidecar only speeds up listing; without it, listing scans the snapshot. A sidecar
        // left from an earlier file of the same name must not describe the new one.
        let sidecar = write::write_atomic(&self.dir, &meta_name, |w| {
            serde_json::to_writer(w, &meta).map_err(io::Error::other)
        });
        if sidecar.is_err() {
            let _ = std::fs::remove_file(self.dir.join(&meta_name));
        }
        Ok(path)
    }

    /// Every cached snapshot, newest first. A missing cache dir is an empty list; files that
    /// are not snapshots (other names, unreadable headers) are left out.
    pub fn list(&self) -> Result<Vec<SnapshotInfo>, StoreError> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(err) => return Err(self.read_error(err)),
        };
        let mut infos = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| self.read_error(e))?;
            let file_name = entry.file_name();
            let Some(file_name) = file_name.to_str() else {
                continue;
            };
            if file_name.starts_with('.') {
                continue;
            }
            let Some(stem) = file_name
                .strip_suffix(name::SNAPSHOT_EXT)
                .and_then(|s| s.strip_suffix('.'))
            else {
                continue;
            };
            if name::parse_stem(stem).is_none() {
                continue;
            }
            let Ok(metadata) = entry.metadata() else {
                continue;
            };
            if !metadata.is_file() {
                continue;
            }
            let path = entry.path();
            let sidecar = self.dir.join(format!("{stem}.{}", name::META_EXT));
            let meta = index::read_sidecar(&sidecar, metadata.len())
                .or_else(|| index::scan(&path, metadata.len()));
            if let Some(meta) = meta {
                infos.push(SnapshotInfo {
                    path,
                    provider: meta.provider,
                    org: meta.org,
                    taken_at: meta.taken_at,
                    repos: meta.repos,
                });
            }
        }
        infos.sort_by(|a, b| {
            b.taken_at
                .cmp(&a.taken_at)
                .then_with(|| b.path.cmp(&a.path))
        });
        Ok(infos)
    }

    /// The newest snapshot of `org` (case-insensitive, GitLab by full path), or of any org.
    pub fn newest(&self, org: Option<&str>) -> Result<Option<SnapshotInfo>, StoreError> {
        Ok(self
            .list()?
            .into_iter()
            .find(|info| org.is_none_or(|o| info.org.eq_ignore_ascii_case(o))))
    }

    /// Delete all but the newest `keep` snapshots of each org; returns the deleted files.
    pub fn prune(&self, keep: u32) -> Result<Vec<PathBuf>, StoreError> {
        let mut seen: HashMap<(Provider, String), u32> = HashMap::new();
        let mut removed = Vec::new();
        for info in self.list()? {
            let count = seen
                .entry((info.provider, info.org.to_lowercase()))
                .or_insert(0);
            *count += 1;
            if *count <= keep {
                continue;
            }
            std::fs::remove_file(&info.path).map_err(|source| StoreError::Delete {
                path: info.path.clone(),
                source,
            })?;
            let _ = std::fs::remove_file(info.path.with_extension(name::META_EXT));
            removed.push(info.path);
        }
        Ok(removed)
    }

    fn read_error(&self, source: io::Error) -> StoreError {
        StoreError::Read {
            dir: self.dir.clone(),
            source,
        }
    }
}

#[cfg(test)]
mod tests;
