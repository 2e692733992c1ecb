//! Conditional-request cache: one file per org under the store's dir
//! (`etags/github-ORG.json`), URL path → ETag and the body it tagged. Bodies are facts the API
//! returned, never tokens or headers.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// A remembered answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The `ETag` header of the answer.
    pub etag: String,
    /// The JSON body of the answer.
    pub body: serde_json::Value,
    /// The `Link` header of the answer (pagination), when there was one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

/// ETags of one org, loaded at the start of a sync and saved at its successful end.
#[derive(Debug, Default)]
pub struct EtagCache {
    path: Option<PathBuf>,
    entries: BTreeMap<String, Entry>,
    used: BTreeMap<String, Entry>,
}

impl EtagCache {
    /// The cache file of `org` on `provider` under `dir` (missing or unreadable: empty).
    pub fn load(dir: &Path, provider: &str, org: &str) -> Self {
        let safe: String = org
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let path = dir.join("etags").join(format!("{provider}-{safe}.json"));
        let entries = std::fs::read(&path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        Self {
            path: Some(path),
            entries,
            used: BTreeMap::new(),
        }
    }

    /// An in-memory cache that is never saved.
    pub fn memory() -> Self {
        Self::default()
    }

    /// The remembered answer for `url`.
    pub fn get(&self, url: &str) -> Option<&Entry> {
        self.used.get(url).or_else(|| self.entries.get(url))
    }

    /// Remember (or confirm) the answer for `url`; only remembered or confirmed entries are saved.
    pub fn put(&mut self, url: &str, entry: Entry) {
        self.used.insert(url.to_owned(), entry);
    }

    /// Keep the old entry for `url` (it was answered 304).
    pub fn confirm(&mut self, url: &str) {
        if let Some(entry) = self.entries.get(url).cloned() {
            self.used.insert(url.to_owned(), entry);
        }
    }

    /// Number of entries that would be saved.
    pub fn len(&self) -> usize {
        self.used.len()
    }

    /// True when nothing would be saved.
    pub fn is_empty(&self) -> bool {
        self.used.is_empty()
    }

    /// Write the entries used by this sync (temp file + rename, mode 0600 on unix).
    /// `merge` keeps the old entries too (a `--repo` sync reads only part of the org).
    pub fn save(&self, merge: bool) -> std::io::Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        let Some(dir) = path.parent() else {
            return Ok(());
        };
        std::fs::create_dir_all(dir)?;
        let mut all = if merge {
            self.entries.clone()
        } else {
            BTreeMap::new()
        };
        all.extend(self.used.iter().map(|(k, v)| (k.clone(), v.clone())));
        let tmp = dir.join(format!(
            ".{}.tmp{}",
            path.file_name().and_then(|n| n.to_str()).unwrap_or("etags"),
            std::process::id()
        ));
        let result = (|| {
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create(true).truncate(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                options.mode(0o600);
            }
            let mut file = options.open(&tmp)?;
            let bytes = serde_json::to_vec(&all).map_err(std::io::Error::other)?;
            file.write_all(&bytes)?;
            file.sync_all()?;
            std::fs::rename(&tmp, path)
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saves_what_was_used_and_loads_it_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut cache = EtagCache::load(dir.path(), "github", "acme/x");
        assert!(cache.get("/a").is_none());
        let entry = Entry {
            etag: "\"1\"".into(),
            body: serde_json::json!({"a": 1}),
            link: None,
        };
        cache.put("/a", entry.clone());
        cache.save(false).unwrap();
        let again = EtagCache::load(dir.path(), "github", "acme/x");
        assert_eq!(again.get("/a"), Some(&entry));
        assert!(dir.path().join("etags/github-acme_x.json").exists());
    }
}
