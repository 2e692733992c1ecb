//! Conditional-request cache: one file per org under the store's dir
//! (`etags/github-ORG.json`), URL path → ETag and the body it tagged. Bodies are facts the API
//! returned, never tokens or headers: fields that carry secrets (a project's `runners_token`,
//! a variable's `value`, a key's `private_key`, …) are removed before a body is remembered
//! (see [`scrub`]); posture reads none of them. Written through the store's one atomic-write
//! helper (private dirs, 0600 file, no symlink followed).

use std::collections::BTreeMap;
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
        let safe = crate::store::name::bounded(&safe);
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
    /// Secret-bearing fields of the body are dropped first ([`scrub`]).
    pub fn put(&mut self, url: &str, mut entry: Entry) {
        scrub(&mut entry.body);
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

    /// Write the entries used by this sync (atomically, 0600, in a private `etags/` dir).
    /// `merge` keeps the old entries too (a `--repo` sync reads only part of the org).
    pub fn save(&self, merge: bool) -> std::io::Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        let (Some(dir), Some(name)) = (path.parent(), path.file_name().and_then(|n| n.to_str()))
        else {
            return Ok(());
        };
        // The cache dir first, so it too is created private.
        if let Some(cache) = dir.parent() {
            crate::store::write::ensure_dir(cache)?;
        }
        let mut all = if merge {
            self.entries.clone()
        } else {
            BTreeMap::new()
        };
        all.extend(self.used.iter().map(|(k, v)| (k.clone(), v.clone())));
        crate::store::write::write_atomic(dir, name, |w| {
            serde_json::to_writer(w, &all).map_err(std::io::Error::other)
        })?;
        Ok(())
    }
}

/// Field names whose values are secrets on GitHub or GitLab. A key is dropped when it is one of
/// these or ends with `_token`, `_secret`, `_password` or `_private_key`, and its value is
/// not a boolean or null (flags such as `ci_job_token_scope_enabled` are settings posture
/// reads, not secrets).
const SECRET_FIELDS: &[&str] = &[
    "token",
    "value",
    "secret",
    "password",
    "private_key",
    "runners_token",
    "credentials",
];

fn is_secret_field(name: &str, value: &serde_json::Value) -> bool {
    if value.is_boolean() || value.is_null() {
        return false;
    }
    let name = name.to_ascii_lowercase();
    SECRET_FIELDS.contains(&name.as_str())
        || ["_token", "_secret", "_password", "_private_key"]
            .iter()
            .any(|suffix| name.ends_with(suffix))
}

/// Remove secret-bearing fields ([`SECRET_FIELDS`]) from `body`, at any depth.
pub fn scrub(body: &mut serde_json::Value) {
    match body {
        serde_json::Value::Object(map) => {
            map.retain(|name, value| !is_secret_field(name, value));
            map.values_mut().for_each(scrub);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(scrub),
        _ => {}
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

    #[test]
    fn secret_fields_are_never_remembered() {
        let dir = tempfile::tempdir().unwrap();
        let mut cache = EtagCache::load(dir.path(), "gitlab", "acme");
        let body = serde_json::json!({
            "id": 7,
            "runners_token": "GR1348941secretsecret",
            "ci_job_token_scope_enabled": true,
            "hooks": [{"url": "https://x", "token": "hooksecret", "config": {"secret": "s"}}],
            "deploy": {"private_key": "-----BEGIN", "registration_password": "pw"},
            "variables": [{"key": "AWS", "value": "s3cr3t"}]
        });
        cache.put(
            "/p",
            Entry {
                etag: "\"1\"".into(),
                body,
                link: None,
            },
        );
        cache.save(false).unwrap();
        let text = std::fs::read_to_string(dir.path().join("etags/gitlab-acme.json")).unwrap();
        for secret in [
            "GR1348941",
            "hooksecret",
            "BEGIN",
            "\"pw\"",
            "s3cr3t",
            "\"s\"",
        ] {
            assert!(!text.contains(secret), "{secret} kept in {text}");
        }
        assert!(text.contains("ci_job_token_scope_enabled"), "{text}");
        assert!(text.contains("\"id\":7"), "{text}");
    }

    #[test]
    fn a_long_group_path_gives_a_bounded_cache_name() {
        let dir = tempfile::tempdir().unwrap();
        let group = format!("{}/{}", "g".repeat(115), "h".repeat(115));
        let mut cache = EtagCache::load(dir.path(), "gitlab", &group);
        cache.put(
            "/a",
            Entry {
                etag: "\"1\"".into(),
                body: serde_json::json!(1),
                link: None,
            },
        );
        cache.save(false).unwrap();
        let again = EtagCache::load(dir.path(), "gitlab", &group);
        assert!(again.get("/a").is_some());
    }
}
