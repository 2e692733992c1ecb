//! The registry of built-in controls: the one list that says which controls exist and in
//! which order they are judged and shown. Each entry is a control `const` declared next to its
//! judge in its band's module; adding a control is that `const` plus one line here.
//!
//! Rego policies join at run time, after these (`crate::assess::Registry`).

use super::control::{OrgControl, RepoControl};
use super::{branch, identity, isolation, org, pinning, policy, secrets};

/// Repository controls, in catalog order.
pub static REPO_CONTROLS: &[&RepoControl] = &[
    &identity::OIDC_FEDERATION,
    &identity::NO_STATIC_CLOUD_KEYS,
    &identity::BUILD_PROVENANCE,
    &branch::BRANCH_PROTECTED,
    &branch::PR_REQUIRED,
    &branch::APPROVING_REVIEW,
    &branch::LAST_PUSH_APPROVAL,
    &branch::STATUS_CHECKS,
    &branch::DISMISS_STALE_REVIEWS,
    &branch::NO_FORCE_PUSH,
    &branch::SIGNED_COMMITS,
    &branch::NO_ADMIN_BYPASS,
    &branch::RELEASE_PUSH_RESTRICTED,
    &secrets::SECRET_SCANNING,
    &secrets::PUSH_PROTECTION,
    &secrets::PIPELINE_SECRET_SCAN,
    &secrets::PRECOMMIT_SECRET_HOOK,
    &secrets::NO_SECRETS_IN_ENV,
    &secrets::SECRET_ROTATION,
    &isolation::EPHEMERAL_RUNNERS,
    &isolation::EGRESS_ALLOWLIST,
    &isolation::NO_SELF_HOSTED_PUBLIC,
    &isolation::TOKEN_LEAST_PRIVILEGE,
    &pinning::PINNED_ACTIONS,
    &policy::DEPLOY_GATE,
    &policy::CODEOWNERS,
];

/// Org controls, in catalog order.
pub static ORG_CONTROLS: &[&OrgControl] = &[
    &org::ORG_SECRET_SCANNING_DEFAULT,
    &org::ORG_TOKEN_READ_DEFAULT,
    &org::ORG_RUNNER_GROUPS_SCOPED,
    &org::ORG_OIDC_SUBJECT,
];
