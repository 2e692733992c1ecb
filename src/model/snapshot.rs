//! The snapshot root: who took it, where, when, what the token could see, and the facts.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{OrgFacts, Repo};
use crate::pipeline::{Analysis, FileKind};

/// The snapshot schema this build reads and writes.
pub const SCHEMA_VERSION: u32 = 1;

/// The schema identifier written into every snapshot.
pub const SCHEMA_NAME: &str = "posture.snapshot";

/// Which platform a snapshot came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Provider {
    /// GitHub.com or GitHub Enterprise Server.
    Github,
    /// GitLab.com or self-managed GitLab.
    Gitlab,
}

impl Provider {
    /// Lower-case name as used on the command line and in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Github => "github",
            Provider::Gitlab => "gitlab",
        }
    }
}

/// What the syncing token could and could not see (the pre-flight's findings).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TokenView {
    /// Scopes or permissions the platform reported for the token.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// Things the token could not read, one line each (e.g. `traffic: needs push access`).
    #[serde(default)]
    pub cannot_see: Vec<String>,
}

/// A file kept verbatim (pipeline or pre-commit config), stored once per content hash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredFile {
    /// What kind of file it is.
    pub kind: FileKind,
    /// The text exactly as fetched.
    pub text: String,
    /// Facts from the analyser, stamped with the analyser version that produced them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analysis: Option<CachedAnalysis>,
}

/// Analysed facts with the analyser version, so loading re-parses only when the analyser changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CachedAnalysis {
    /// `crate::pipeline::ANALYSER_VERSION` at the time of analysis.
    pub analyser_version: u32,
    /// The analyser's answer.
    pub analysis: Analysis,
}

/// A cached org inventory: facts only, verdicts are computed on load.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Always [`SCHEMA_NAME`].
    pub schema: String,
    /// Schema version; a snapshot newer than [`SCHEMA_VERSION`] is refused.
    pub schema_version: u32,
    /// Platform.
    pub provider: Provider,
    /// Org login (GitHub) or full group path (GitLab).
    pub org: String,
    /// API base the facts came from, e.g. `https://api.github.com`.
    pub api_host: String,
    /// When the sync finished; every "days ago" is measured against this.
    pub taken_at: DateTime<Utc>,
    /// `posture` version that took the snapshot.
    pub tool_version: String,
    /// Login of the token's owner, when known.
    #[serde(default)]
    pub synced_by: Option<String>,
    /// What the token could and could not see.
    #[serde(default)]
    pub token: TokenView,
    /// Org- or group-level facts (each unknown when the snapshot lacks it).
    #[serde(default = "OrgFacts::not_in_snapshot")]
    pub org_facts: OrgFacts,
    /// Repositories (GitHub) or projects (GitLab), in no particular order.
    pub repos: Vec<Repo>,
    /// Pipeline and pre-commit files by content hash (see [`content_hash`]).
    #[serde(default)]
    pub files: BTreeMap<String, StoredFile>,
}

/// Stable content hash used as the key of [`Snapshot::files`] (hex SHA-256, first 16 bytes).
pub fn content_hash(text: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(text.as_bytes());
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

impl Snapshot {
    /// An empty snapshot of `org` on `provider`, taken at `taken_at`.
    pub fn new(provider: Provider, org: &str, api_host: &str, taken_at: DateTime<Utc>) -> Self {
        Self {
            schema: SCHEMA_NAME.to_owned(),
            schema_version: SCHEMA_VERSION,
            provider,
            org: org.to_owned(),
            api_host: api_host.to_owned(),
            taken_at,
            tool_version: env!("CARGO_PKG_VERSION").to_owned(),
            synced_by: None,
            token: TokenView::default(),
            org_facts: OrgFacts::known_empty(),
            repos: Vec::new(),
            files: BTreeMap::new(),
        }
    }

    /// Store `text` once under its content hash and return the hash.
    pub fn add_file(&mut self, kind: FileKind, text: String) -> String {
        let hash = content_hash(&text);
        self.files.entry(hash.clone()).or_insert(StoredFile {
            kind,
            text,
            analysis: None,
        });
        hash
    }

    /// The repository with this full name (`org/name`).
    pub fn repo(&self, full_name: &str) -> Option<&Repo> {
        self.repos.iter().find(|r| r.name == full_name)
    }
}
