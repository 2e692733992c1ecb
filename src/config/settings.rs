//! `config.toml`: control settings, scope, retention and waivers. Parsing is pure.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A waiver: a failing control accepted for matching repositories until a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Waiver {
    /// Control id.
    pub control: String,
    /// Repository glob, e.g. `acme/legacy-*`.
    pub repo: String,
    /// Who owns the exception.
    pub owner: String,
    /// Why.
    pub reason: String,
    /// Valid through 23:59:59 UTC that day.
    pub expires: NaiveDate,
}

/// Every setting, with the defaults of `spec/controls.md` and `spec/cli.md`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// Approving reviews `approving-review` requires.
    pub min_approvals: u32,
    /// Maximum secret age in days for `secret-rotation`.
    pub rotation_days: u32,
    /// Release branch patterns for `release-push-restricted`.
    pub release_patterns: Vec<String>,
    /// Production environment patterns for `deploy-gate` (case-insensitive globs).
    pub production_environments: Vec<String>,
    /// More names (suffixes) that count as static cloud credentials.
    pub extra_static_key_names: Vec<String>,
    /// Runner labels that mean "ephemeral" (e.g. an ARC scale set name).
    pub ephemeral_runner_labels: Vec<String>,
    /// Repository globs left out of every view.
    pub exclude: Vec<String>,
    /// Include forks (default false).
    pub include_forks: bool,
    /// Repositories with any of these topics are left out.
    pub exclude_topics: Vec<String>,
    /// Snapshots kept per org by `snapshots --prune`.
    pub keep_snapshots: u32,
    /// Waivers (`[[waiver]]`).
    pub waivers: Vec<Waiver>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            min_approvals: 1,
            rotation_days: 90,
            release_patterns: vec!["release/*".into(), "releases/*".into(), "release-*".into()],
            production_environments: vec!["prod*".into(), "production".into()],
            extra_static_key_names: Vec::new(),
            ephemeral_runner_labels: Vec::new(),
            exclude: Vec::new(),
            include_forks: false,
            exclude_topics: Vec::new(),
            keep_snapshots: 30,
            waivers: Vec::new(),
        }
    }
}
