//! One repository (GitHub) or project (GitLab) and the facts read about it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{ClassicProtection, Fact, GitlabProject, Ruleset};

/// Repository visibility.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Anyone can read it.
    Public,
    /// Only collaborators can read it.
    Private,
    /// Everyone in the enterprise / instance can read it.
    Internal,
}

impl Visibility {
    /// Lower-case name as in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Private => "private",
            Visibility::Internal => "internal",
        }
    }
}

/// Traffic figures used for ranking. `None` fields were not read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Traffic {
    /// GitHub: page views over the last 14 days (`count`).
    #[serde(default)]
    pub views_14d: Option<u64>,
    /// GitHub: unique visitors over the last 14 days.
    #[serde(default)]
    pub uniques_14d: Option<u64>,
    /// GitHub: clones over the last 14 days (read only to break ties).
    #[serde(default)]
    pub clones_14d: Option<u64>,
    /// GitLab: `fetches.total` over the last 30 days from project statistics.
    #[serde(default)]
    pub fetches_30d: Option<u64>,
}

/// Secret scanning switches of a repository (`security_and_analysis`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretScanning {
    /// Platform secret scanning enabled.
    pub secret_scanning: bool,
    /// Push protection enabled.
    pub push_protection: bool,
}

/// A secret or CI/CD variable: its name and when it last changed. Never its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretMeta {
    /// Name, e.g. `AWS_SECRET_ACCESS_KEY`.
    pub name: String,
    /// When it was last updated (GitHub); GitLab does not say.
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
}

/// A reference from a repository to a stored file (see `Snapshot::files`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRef {
    /// Full path in the repository, e.g. `.github/workflows/deploy.yml`.
    pub path: String,
    /// Key into `Snapshot::files`.
    pub hash: String,
}

/// A self-hosted runner the repository can use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Runner {
    /// Platform id.
    pub id: u64,
    /// Runner name.
    pub name: String,
    /// Labels (GitHub) or tags (GitLab).
    #[serde(default)]
    pub labels: Vec<String>,
    /// `Some(true)` when the API says it is ephemeral; `None` when the API does not say.
    #[serde(default)]
    pub ephemeral: Option<bool>,
    /// Where it is registered: `repo`, `org`/`group` or `instance`.
    pub scope: String,
    /// Runner group (GitHub) when known.
    #[serde(default)]
    pub group: Option<String>,
}

/// Token permission default for workflows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenPermission {
    /// Read-only (contents and packages read).
    Read,
    /// Read and write.
    Write,
}

/// A deployment environment and its protection.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Environment {
    /// Environment name, e.g. `production`.
    pub name: String,
    /// Number of required reviewers (GitHub), 0 when none.
    #[serde(default)]
    pub required_reviewers: u32,
    /// Deployments restricted to protected branches (GitHub `deployment_branch_policy.protected_branches`).
    #[serde(default)]
    pub protected_branches_only: bool,
    /// Deployments restricted to custom branch patterns.
    #[serde(default)]
    pub custom_branch_policies: bool,
    /// GitLab: the environment is a protected environment.
    #[serde(default)]
    pub protected: bool,
}

/// The latest release and whether its assets carry attestations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Release {
    /// Tag name.
    pub tag: String,
    /// When it was published.
    #[serde(default)]
    pub published_at: Option<DateTime<Utc>>,
    /// `Some(true)` when the attestations API returned provenance for an asset.
    #[serde(default)]
    pub attested: Option<bool>,
}

/// Branches and classic protection rules that match the release patterns.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseBranches {
    /// Names of existing branches, as read.
    #[serde(default)]
    pub branches: Vec<String>,
    /// Classic branch protection rules by pattern (GitHub) or protected branches (GitLab).
    #[serde(default)]
    pub rules: Vec<BranchRule>,
}

/// A branch protection rule matched by pattern (used for release branches).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BranchRule {
    /// Pattern, e.g. `release/*`.
    pub pattern: String,
    /// Whether pushes are restricted to listed actors (GitHub `restrictsPushes`;
    /// GitLab: push access level below Developer, i.e. Maintainers or No one).
    pub restricts_pushes: bool,
}

/// One repository or project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Repo {
    /// Full name, `org/name` (GitLab: full path with subgroups).
    pub name: String,
    /// Description as given (untrusted text).
    #[serde(default)]
    pub description: Option<String>,
    /// Visibility.
    pub visibility: Visibility,
    /// Archived repositories are `not_applicable` for everything and unranked.
    #[serde(default)]
    pub archived: bool,
    /// Is a fork.
    #[serde(default)]
    pub fork: bool,
    /// Topics.
    #[serde(default)]
    pub topics: Vec<String>,
    /// Default branch name.
    pub default_branch: String,
    /// Last push / activity.
    #[serde(default)]
    pub pushed_at: Option<DateTime<Utc>>,
    /// Stars (GitHub) / star_count (GitLab).
    #[serde(default)]
    pub stars: u64,
    /// Forks count.
    #[serde(default)]
    pub forks: u64,
    /// Traffic; unreadable without push access.
    #[serde(default = "Fact::not_in_snapshot")]
    pub traffic: Fact<Traffic>,
    /// GitHub classic protection of the default branch; `Known(None)` is 404 "Branch not protected".
    #[serde(default = "Fact::not_in_snapshot")]
    pub classic_protection: Fact<Option<ClassicProtection>>,
    /// GitHub repository-level rulesets (org rulesets live in `OrgFacts`).
    #[serde(default = "Fact::not_in_snapshot")]
    pub rulesets: Fact<Vec<Ruleset>>,
    /// Release branches and their rules.
    #[serde(default = "Fact::not_in_snapshot")]
    pub release_branches: Fact<ReleaseBranches>,
    /// Secret scanning and push protection switches.
    #[serde(default = "Fact::not_in_snapshot")]
    pub secret_scanning: Fact<SecretScanning>,
    /// Repository-level Actions secrets / project CI variables (names only).
    #[serde(default = "Fact::not_in_snapshot")]
    pub secrets: Fact<Vec<SecretMeta>>,
    /// Pipeline files (`.github/workflows/*`, `.gitlab-ci.yml` and local includes).
    #[serde(default = "Fact::not_in_snapshot")]
    pub pipelines: Fact<Vec<FileRef>>,
    /// `.pre-commit-config.yaml` if present.
    #[serde(default = "Fact::not_in_snapshot")]
    pub precommit: Fact<Option<FileRef>>,
    /// Path of the CODEOWNERS file the platform reads, if any.
    #[serde(default = "Fact::not_in_snapshot")]
    pub codeowners: Fact<Option<String>>,
    /// Self-hosted runners this repository can use (repo-level and shared ones).
    #[serde(default = "Fact::not_in_snapshot")]
    pub runners: Fact<Vec<Runner>>,
    /// Default `GITHUB_TOKEN` permission for this repository's workflows.
    #[serde(default = "Fact::not_in_snapshot")]
    pub workflow_token: Fact<Option<TokenPermission>>,
    /// Deployment environments.
    #[serde(default = "Fact::not_in_snapshot")]
    pub environments: Fact<Vec<Environment>>,
    /// Latest release, `Known(None)` when there is none.
    #[serde(default = "Fact::not_in_snapshot")]
    pub latest_release: Fact<Option<Release>>,
    /// GitLab-only facts; `None` on GitHub.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gitlab: Option<GitlabProject>,
}

impl Repo {
    /// A repository with every fact known and empty: the base for demos and tests.
    pub fn new(name: &str, visibility: Visibility, default_branch: &str) -> Self {
        Self {
            name: name.to_owned(),
            description: None,
            visibility,
            archived: false,
            fork: false,
            topics: Vec::new(),
            default_branch: default_branch.to_owned(),
            pushed_at: None,
            stars: 0,
            forks: 0,
            traffic: Fact::Known(Traffic::default()),
            classic_protection: Fact::Known(None),
            rulesets: Fact::Known(Vec::new()),
            release_branches: Fact::Known(ReleaseBranches::default()),
            secret_scanning: Fact::Known(SecretScanning::default()),
            secrets: Fact::Known(Vec::new()),
            pipelines: Fact::Known(Vec::new()),
            precommit: Fact::Known(None),
            codeowners: Fact::Known(None),
            runners: Fact::Known(Vec::new()),
            workflow_token: Fact::Known(Some(TokenPermission::Read)),
            environments: Fact::Known(Vec::new()),
            latest_release: Fact::Known(None),
            gitlab: None,
        }
    }

    /// The short name after the last `/`.
    pub fn short_name(&self) -> &str {
        self.name.rsplit('/').next().unwrap_or(&self.name)
    }
}
