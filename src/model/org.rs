//! Organisation- or group-level facts.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Fact, Ruleset, TokenPermission};

/// Defaults applied to new repositories (code security configuration).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityDefaults {
    /// New repositories get secret scanning.
    pub secret_scanning: bool,
    /// New repositories get push protection.
    pub push_protection: bool,
}

/// Which repositories a runner group or org secret is open to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reach {
    /// Every repository (`all`).
    All,
    /// Private and internal repositories (`private`).
    Private,
    /// A selected list of repositories (`selected`).
    Selected,
}

/// A runner group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunnerGroup {
    /// Group id.
    pub id: u64,
    /// Group name.
    pub name: String,
    /// Which repositories may use it.
    pub visibility: Reach,
    /// `allows_public_repositories`.
    #[serde(default)]
    pub allows_public_repositories: bool,
}

/// An org-level secret (names only) and which repositories see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgSecret {
    /// Secret name.
    pub name: String,
    /// Last update.
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
    /// Which repositories see it.
    pub visibility: Reach,
    /// Full names of the repositories it is shared with when `visibility` is `selected`.
    #[serde(default)]
    pub selected_repos: Vec<String>,
}

/// OIDC subject claim customisation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OidcSubject {
    /// True when the org uses the default template.
    pub use_default: bool,
    /// `include_claim_keys` of a custom template.
    #[serde(default)]
    pub include_claim_keys: Vec<String>,
}

/// Org-level facts (GitHub organisation or GitLab top-level group).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrgFacts {
    /// Org rulesets (with `repository_name` conditions).
    #[serde(default = "Fact::not_in_snapshot")]
    pub rulesets: Fact<Vec<Ruleset>>,
    /// Security defaults for new repositories.
    #[serde(default = "Fact::not_in_snapshot")]
    pub security_defaults: Fact<SecurityDefaults>,
    /// Default workflow token permission.
    #[serde(default = "Fact::not_in_snapshot")]
    pub workflow_token: Fact<Option<TokenPermission>>,
    /// Runner groups.
    #[serde(default = "Fact::not_in_snapshot")]
    pub runner_groups: Fact<Vec<RunnerGroup>>,
    /// Org-level secrets (GitLab: group variables, visible to every project below).
    #[serde(default = "Fact::not_in_snapshot")]
    pub secrets: Fact<Vec<OrgSecret>>,
    /// OIDC subject claim template.
    #[serde(default = "Fact::not_in_snapshot")]
    pub oidc_subject: Fact<OidcSubject>,
}

impl OrgFacts {
    /// Every org fact known and empty (no rulesets, no secrets, defaults off): the base for
    /// demos and tests. A snapshot that lacks an org fact reads it as unknown instead.
    pub fn known_empty() -> Self {
        Self {
            rulesets: Fact::Known(Vec::new()),
            security_defaults: Fact::Known(SecurityDefaults::default()),
            workflow_token: Fact::Known(None),
            runner_groups: Fact::Known(Vec::new()),
            secrets: Fact::Known(Vec::new()),
            oidc_subject: Fact::Known(OidcSubject::default()),
        }
    }

    /// Every org fact unknown: what a snapshot without `org_facts` carries.
    pub fn not_in_snapshot() -> Self {
        Self {
            rulesets: Fact::not_in_snapshot(),
            security_defaults: Fact::not_in_snapshot(),
            workflow_token: Fact::not_in_snapshot(),
            runner_groups: Fact::not_in_snapshot(),
            secrets: Fact::not_in_snapshot(),
            oidc_subject: Fact::not_in_snapshot(),
        }
    }
}
