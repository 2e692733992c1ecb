//! The API hosts this machine's own syncs used, per org: `hosts.json` in the cache dir,
//! written by `posture sync` after a successful save. The explorer's sync key sends the token
//! only to the host recorded here for the org (or to the platform's public API), never to the
//! `api_host` a snapshot file claims: snapshots are passed around, and a crafted one must not
//! be able to send the token elsewhere.

use std::collections::BTreeMap;
use std::io;

use super::Store;
use crate::model::Provider;

const FILE: &str = "hosts.json";

fn key(provider: Provider, org: &str) -> String {
    format!("{}/{}", provider.as_str(), org.to_lowercase())
}

fn read(store: &Store) -> BTreeMap<String, String> {
    std::fs::read(store.dir().join(FILE))
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

impl Store {
    /// Remember that `org` was synced from `api_host` (the URL the user gave, as recorded).
    pub fn record_host(&self, provider: Provider, org: &str, api_host: &str) -> io::Result<()> {
        let mut hosts = read(self);
        if hosts.get(&key(provider, org)).map(String::as_str) == Some(api_host) {
            return Ok(());
        }
        hosts.insert(key(provider, org), api_host.to_owned());
        let bytes = serde_json::to_vec_pretty(&hosts).map_err(io::Error::other)?;
        super::write::write_bytes(self.dir(), FILE, &bytes).map(|_| ())
    }

    /// The API host this machine last synced `org` from, if it ever did.
    pub fn recorded_host(&self, provider: Provider, org: &str) -> Option<String> {
        read(self).remove(&key(provider, org))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_recorded_per_provider_and_org() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path().join("cache"));
        assert_eq!(store.recorded_host(Provider::Github, "acme"), None);
        store
            .record_host(Provider::Github, "Acme", "https://ghe.example/api/v3")
            .unwrap();
        store
            .record_host(Provider::Gitlab, "acme", "https://gitlab.example/api/v4")
            .unwrap();
        assert_eq!(
            store.recorded_host(Provider::Github, "acme").as_deref(),
            Some("https://ghe.example/api/v3")
        );
        assert_eq!(
            store.recorded_host(Provider::Gitlab, "ACME").as_deref(),
            Some("https://gitlab.example/api/v4")
        );
    }
}
