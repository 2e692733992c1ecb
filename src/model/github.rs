//! GitHub branch protection as the REST API shapes it: classic protection and rulesets.

use serde::{Deserialize, Serialize};

/// Classic branch protection (`GET /repos/{o}/{r}/branches/{b}/protection`), flattened.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassicProtection {
    /// `required_pull_request_reviews`, when present.
    #[serde(default)]
    pub pull_request_reviews: Option<PullRequestReviews>,
    /// Required status check contexts (empty when none or not configured).
    #[serde(default)]
    pub required_status_checks: Vec<String>,
    /// `enforce_admins.enabled`.
    #[serde(default)]
    pub enforce_admins: bool,
    /// `allow_force_pushes.enabled`.
    #[serde(default)]
    pub allow_force_pushes: bool,
    /// `allow_deletions.enabled`.
    #[serde(default)]
    pub allow_deletions: bool,
    /// `required_signatures.enabled` (needs a separate read; `None` when not read).
    #[serde(default)]
    pub required_signatures: Option<bool>,
    /// `restrictions` present: pushes limited to listed users, teams or apps.
    #[serde(default)]
    pub restricts_pushes: bool,
}

/// Pull request review requirements, shared by classic protection and the ruleset rule.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullRequestReviews {
    /// `required_approving_review_count`.
    #[serde(default)]
    pub required_approving_review_count: u32,
    /// `dismiss_stale_reviews` / `dismiss_stale_reviews_on_push`.
    #[serde(default)]
    pub dismiss_stale_reviews: bool,
    /// `require_code_owner_reviews` / `require_code_owner_review`.
    #[serde(default)]
    pub require_code_owner_reviews: bool,
    /// `require_last_push_approval`.
    #[serde(default)]
    pub require_last_push_approval: bool,
}

/// Ruleset enforcement mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Enforcement {
    /// Enforced.
    Active,
    /// Evaluate ("dry run"): reported, not enforced.
    Evaluate,
    /// Disabled.
    Disabled,
}

impl Enforcement {
    /// Lower-case name as the API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Enforcement::Active => "active",
            Enforcement::Evaluate => "evaluate",
            Enforcement::Disabled => "disabled",
        }
    }
}

/// Where a ruleset is defined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RulesetSource {
    /// On the repository.
    Repo,
    /// On the organisation.
    Org,
}

/// A bypass actor of a ruleset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BypassActor {
    /// `actor_type`: `RepositoryRole`, `Team`, `Integration`, `OrganizationAdmin`, `DeployKey`.
    pub actor_type: String,
    /// `actor_id`, absent for `OrganizationAdmin`.
    #[serde(default)]
    pub actor_id: Option<u64>,
    /// `bypass_mode`: `always` or `pull_request`.
    #[serde(default = "default_bypass_mode")]
    pub bypass_mode: String,
}

fn default_bypass_mode() -> String {
    "always".to_owned()
}

/// `include` / `exclude` patterns of a ruleset condition.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Patterns {
    /// Included patterns: `~DEFAULT_BRANCH`, `~ALL`, `refs/heads/main`, `release/*`, repo globs.
    #[serde(default)]
    pub include: Vec<String>,
    /// Excluded patterns.
    #[serde(default)]
    pub exclude: Vec<String>,
}

/// A rule inside a ruleset (`type` plus parameters), as in the REST API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Rule {
    /// Only allow users with bypass permission to create matching refs.
    Creation,
    /// Only allow users with bypass permission to update matching refs.
    Update,
    /// Only allow users with bypass permissions to delete matching refs.
    Deletion,
    /// Block force pushes.
    NonFastForward,
    /// Require signed commits.
    RequiredSignatures,
    /// Require linear history.
    RequiredLinearHistory,
    /// Require a pull request before merging.
    PullRequest {
        /// Parameters of the rule.
        #[serde(default)]
        parameters: PullRequestReviews,
    },
    /// Require status checks.
    RequiredStatusChecks {
        /// Check contexts.
        #[serde(default)]
        contexts: Vec<String>,
    },
    /// Any rule type this build does not judge.
    #[serde(other)]
    Other,
}

/// A ruleset (`GET /repos/{o}/{r}/rulesets/{id}` or `/orgs/{o}/rulesets/{id}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ruleset {
    /// Ruleset id.
    pub id: u64,
    /// Ruleset name.
    pub name: String,
    /// Repo or org level.
    pub source: RulesetSource,
    /// Enforcement mode.
    pub enforcement: Enforcement,
    /// `target`: `branch`, `tag` or `push`.
    #[serde(default = "default_target")]
    pub target: String,
    /// `conditions.ref_name`.
    #[serde(default)]
    pub ref_name: Patterns,
    /// `conditions.repository_name` (org rulesets only).
    #[serde(default)]
    pub repository_name: Option<Patterns>,
    /// Bypass actors.
    #[serde(default)]
    pub bypass_actors: Vec<BypassActor>,
    /// Rules.
    #[serde(default)]
    pub rules: Vec<Rule>,
}

fn default_target() -> String {
    "branch".to_owned()
}

impl Ruleset {
    /// Evidence label: `ruleset 7 "baseline" (org)`.
    pub fn label(&self) -> String {
        let level = match self.source {
            RulesetSource::Repo => "repo",
            RulesetSource::Org => "org",
        };
        format!("ruleset {} \"{}\" ({level})", self.id, self.name)
    }
}
