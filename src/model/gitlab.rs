//! GitLab-only project facts, as the GitLab REST API shapes them.

use serde::{Deserialize, Serialize};

use super::Fact;

/// GitLab access levels: 0 No one, 30 Developer, 40 Maintainer, 60 Admin.
pub type AccessLevel = u8;

/// A protected branch (`GET /projects/:id/protected_branches/:name`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProtectedBranch {
    /// Branch name or wildcard.
    pub name: String,
    /// `push_access_levels[].access_level`.
    #[serde(default)]
    pub push_access_levels: Vec<AccessLevel>,
    /// `merge_access_levels[].access_level`.
    #[serde(default)]
    pub merge_access_levels: Vec<AccessLevel>,
    /// `allow_force_push`.
    #[serde(default)]
    pub allow_force_push: bool,
    /// `code_owner_approval_required` (Premium).
    #[serde(default)]
    pub code_owner_approval_required: bool,
}

/// Merge request approval settings (`GET /projects/:id/approvals`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalSettings {
    /// `merge_requests_author_approval`: authors may approve their own MRs.
    #[serde(default)]
    pub merge_requests_author_approval: bool,
    /// `merge_requests_disable_committers_approval`.
    #[serde(default)]
    pub merge_requests_disable_committers_approval: bool,
    /// `reset_approvals_on_push`.
    #[serde(default)]
    pub reset_approvals_on_push: bool,
}

/// An approval rule (`GET /projects/:id/approval_rules`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalRule {
    /// Rule name.
    pub name: String,
    /// `approvals_required`.
    pub approvals_required: u32,
    /// `rule_type`: `regular`, `any_approver`, `code_owner`, `report_approver`.
    #[serde(default)]
    pub rule_type: String,
}

/// Push rules (`GET /projects/:id/push_rule`, Premium).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushRules {
    /// `reject_unsigned_commits`.
    #[serde(default)]
    pub reject_unsigned_commits: bool,
}

/// CI job token inbound scope (`GET /projects/:id/job_token_scope`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobTokenScope {
    /// `inbound_enabled`: access limited to the allowlist.
    pub inbound_enabled: bool,
}

/// Facts only GitLab has.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GitlabProject {
    /// Numeric project id.
    pub id: u64,
    /// Protection of the default branch; `Known(None)` is a 404 (not protected).
    #[serde(default = "Fact::not_in_snapshot")]
    pub default_branch_protection: Fact<Option<ProtectedBranch>>,
    /// Merge request approval settings.
    #[serde(default = "Fact::not_in_snapshot")]
    pub approval_settings: Fact<ApprovalSettings>,
    /// Approval rules (Premium; Free has none).
    #[serde(default = "Fact::not_in_snapshot")]
    pub approval_rules: Fact<Vec<ApprovalRule>>,
    /// Push rules; `Unreadable` with `needs: Premium` on Free.
    #[serde(default = "Fact::not_in_snapshot")]
    pub push_rules: Fact<Option<PushRules>>,
    /// `only_allow_merge_if_pipeline_succeeds`.
    #[serde(default)]
    pub pipelines_must_succeed: bool,
    /// `secret_push_protection_enabled` (Ultimate).
    #[serde(default = "Fact::not_in_snapshot")]
    pub secret_push_protection: Fact<bool>,
    /// CI job token scope.
    #[serde(default = "Fact::not_in_snapshot")]
    pub job_token_scope: Fact<JobTokenScope>,
}

impl GitlabProject {
    /// A project with every fact known and at its GitLab default (unprotected, Free-like).
    pub fn new(id: u64) -> Self {
        Self {
            id,
            default_branch_protection: Fact::Known(None),
            approval_settings: Fact::Known(ApprovalSettings::default()),
            approval_rules: Fact::Known(Vec::new()),
            push_rules: Fact::Known(None),
            pipelines_must_succeed: false,
            secret_push_protection: Fact::Known(false),
            job_token_scope: Fact::Known(JobTokenScope::default()),
        }
    }
}
