//! The control catalog: stable ids, bands, severities, titles, rationales, fix descriptions.

use serde::Serialize;

use super::{Band, Severity};

/// Whether a control judges a repository or the organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Judged per repository.
    Repo,
    /// Judged once, on the org node.
    Org,
}

/// One control's definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ControlDef {
    /// Stable kebab-case id (`policy/<package>` for Rego policies).
    pub id: String,
    /// Band.
    pub band: Band,
    /// Severity.
    pub severity: Severity,
    /// Repo or org.
    pub scope: Scope,
    /// One-line title.
    pub title: String,
    /// Why it matters.
    pub rationale: String,
    /// What a fix would do.
    pub fix: String,
}

struct Builtin {
    id: &'static str,
    band: Band,
    severity: Severity,
    scope: Scope,
    title: &'static str,
    rationale: &'static str,
    fix: &'static str,
}

use Band::*;
use Scope::{Org, Repo};
use Severity::*;

const BUILTINS: &[Builtin] = &[
    Builtin {
        id: "oidc-federation",
        band: Identity,
        severity: High,
        scope: Repo,
        title: "Cloud access uses OIDC federation",
        rationale: "Short-lived OIDC credentials cannot leak like long-lived keys, and the cloud side can pin them to a repository, branch and environment.",
        fix: "Replace key-based cloud logins with an OIDC role (role-to-assume / workload identity / federated client id) and grant id-token: write to the deploying job.",
    },
    Builtin {
        id: "no-static-cloud-keys",
        band: Identity,
        severity: High,
        scope: Repo,
        title: "No static cloud keys in secrets or pipelines",
        rationale: "A static cloud key in CI is a standing credential: anyone who can run a workflow can exfiltrate it.",
        fix: "Delete the static cloud key secrets after moving the pipeline to OIDC, and revoke the keys in the cloud account.",
    },
    Builtin {
        id: "build-provenance",
        band: Identity,
        severity: Medium,
        scope: Repo,
        title: "Releases carry signed build provenance",
        rationale: "Signed provenance (SLSA) lets consumers verify what was built, from which source, by which pipeline.",
        fix: "Add actions/attest-build-provenance (or the SLSA generator) to the release job.",
    },
    Builtin {
        id: "branch-protected",
        band: Branch,
        severity: High,
        scope: Repo,
        title: "Default branch is protected",
        rationale: "An unprotected default branch accepts any push from anyone with write access.",
        fix: "Protect the default branch with a ruleset (or classic protection).",
    },
    Builtin {
        id: "pr-required",
        band: Branch,
        severity: High,
        scope: Repo,
        title: "Changes go through a pull request",
        rationale: "Direct pushes skip review and the checks that run on pull requests.",
        fix: "Require a pull request before merging on the default branch.",
    },
    Builtin {
        id: "approving-review",
        band: Branch,
        severity: High,
        scope: Repo,
        title: "Approving reviews required",
        rationale: "Two-person review: no change reaches the default branch on one person's say.",
        fix: "Require at least min_approvals approving reviews on the default branch.",
    },
    Builtin {
        id: "last-push-approval",
        band: Branch,
        severity: High,
        scope: Repo,
        title: "Last push must be approved by someone else",
        rationale: "Without it, an author can push new code after approval and merge it unreviewed.",
        fix: "Enable require_last_push_approval on the default branch.",
    },
    Builtin {
        id: "status-checks",
        band: Branch,
        severity: Medium,
        scope: Repo,
        title: "Required status checks",
        rationale: "Required checks make tests and scanners a gate rather than advice.",
        fix: "Require at least one status check on the default branch.",
    },
    Builtin {
        id: "dismiss-stale-reviews",
        band: Branch,
        severity: Medium,
        scope: Repo,
        title: "New commits dismiss stale approvals",
        rationale: "An approval should cover the code that is merged, not an earlier version.",
        fix: "Enable dismiss stale reviews on push.",
    },
    Builtin {
        id: "no-force-push",
        band: Branch,
        severity: High,
        scope: Repo,
        title: "Force push and deletion blocked",
        rationale: "Force pushes rewrite reviewed history; deletion removes the branch and its protection.",
        fix: "Block force pushes and deletions on the default branch.",
    },
    Builtin {
        id: "signed-commits",
        band: Branch,
        severity: Medium,
        scope: Repo,
        title: "Signed commits required",
        rationale: "Signatures tie each commit to a verified identity.",
        fix: "Require signed commits on the default branch.",
    },
    Builtin {
        id: "no-admin-bypass",
        band: Branch,
        severity: Medium,
        scope: Repo,
        title: "Admins cannot bypass protection",
        rationale: "Protection with a bypass list is protection for everyone else.",
        fix: "Include administrators and remove bypass actors from rulesets targeting the default branch.",
    },
    Builtin {
        id: "release-push-restricted",
        band: Branch,
        severity: Medium,
        scope: Repo,
        title: "Release branches restrict who can push",
        rationale: "Release branches ship to production; anyone with write access should not push to them.",
        fix: "Restrict pushes to release branches to the release team.",
    },
    Builtin {
        id: "secret-scanning",
        band: Secrets,
        severity: High,
        scope: Repo,
        title: "Secret scanning enabled",
        rationale: "The platform finds committed credentials before an attacker does.",
        fix: "Enable secret scanning for the repository.",
    },
    Builtin {
        id: "push-protection",
        band: Secrets,
        severity: High,
        scope: Repo,
        title: "Secret push protection enabled",
        rationale: "Push protection stops a credential before it lands in history.",
        fix: "Enable secret scanning push protection.",
    },
    Builtin {
        id: "pipeline-secret-scan",
        band: Secrets,
        severity: Medium,
        scope: Repo,
        title: "A pipeline job scans for secrets",
        rationale: "Defence in depth: catches a fork merge or a skipped hook.",
        fix: "Add a gitleaks or TruffleHog job to the pipeline.",
    },
    Builtin {
        id: "precommit-secret-hook",
        band: Secrets,
        severity: Low,
        scope: Repo,
        title: "Pre-commit secret-scanning hook",
        rationale: "Catches secrets on the developer's machine, before a push.",
        fix: "Add a gitleaks or detect-secrets hook to .pre-commit-config.yaml.",
    },
    Builtin {
        id: "no-secrets-in-env",
        band: Secrets,
        severity: Medium,
        scope: Repo,
        title: "No secrets in workflow- or job-level env",
        rationale: "A secret in a broad env is exposed to every step, including third-party code.",
        fix: "Pass secrets only to the step that needs them (step-level env or with).",
    },
    Builtin {
        id: "secret-rotation",
        band: Secrets,
        severity: Low,
        scope: Repo,
        title: "Secrets rotated within rotation_days",
        rationale: "Old secrets have had the longest time to leak.",
        fix: "Rotate secrets older than rotation_days.",
    },
    Builtin {
        id: "ephemeral-runners",
        band: Isolation,
        severity: High,
        scope: Repo,
        title: "Self-hosted runners are ephemeral",
        rationale: "A persistent runner carries one job's compromise into the next.",
        fix: "Register self-hosted runners as ephemeral (or run them through Actions Runner Controller).",
    },
    Builtin {
        id: "egress-allowlist",
        band: Isolation,
        severity: High,
        scope: Repo,
        title: "Self-hosted jobs restrict egress",
        rationale: "An allow-list stops exfiltration and malicious downloads from build machines.",
        fix: "Add step-security/harden-runner with egress-policy: block and allowed-endpoints to self-hosted jobs.",
    },
    Builtin {
        id: "no-self-hosted-public",
        band: Isolation,
        severity: High,
        scope: Repo,
        title: "Public repositories do not use self-hosted runners",
        rationale: "Anyone can open a pull request on a public repository and run code on the runner.",
        fix: "Move the public repository's jobs to hosted runners.",
    },
    Builtin {
        id: "token-least-privilege",
        band: Isolation,
        severity: Medium,
        scope: Repo,
        title: "Workflow token is least privilege",
        rationale: "A write token lets any compromised step push code or publish releases.",
        fix: "Set the default workflow token permission to read, or declare top-level permissions in every workflow.",
    },
    Builtin {
        id: "pinned-actions",
        band: Isolation,
        severity: Medium,
        scope: Repo,
        title: "Third-party actions pinned to a commit SHA",
        rationale: "A tag can be moved to malicious code; a SHA cannot.",
        fix: "Pin every third-party action to a full commit SHA with a version comment.",
    },
    Builtin {
        id: "deploy-gate",
        band: Policy,
        severity: High,
        scope: Repo,
        title: "Production environments are gated",
        rationale: "A production deployment should need a reviewer or a protected branch.",
        fix: "Add required reviewers or restrict production deployments to protected branches.",
    },
    Builtin {
        id: "codeowners",
        band: Policy,
        severity: Low,
        scope: Repo,
        title: "CODEOWNERS file present",
        rationale: "Code owners route reviews to the people responsible for the code.",
        fix: "Add a CODEOWNERS file in .github/.",
    },
    Builtin {
        id: "org-secret-scanning-default",
        band: Secrets,
        severity: High,
        scope: Org,
        title: "New repositories get secret scanning and push protection",
        rationale: "Defaults protect the repositories nobody remembers to configure.",
        fix: "Enable secret scanning and push protection for new repositories.",
    },
    Builtin {
        id: "org-token-read-default",
        band: Isolation,
        severity: High,
        scope: Org,
        title: "Org default workflow token is read-only",
        rationale: "The org default applies to every repository that does not override it.",
        fix: "Set the org's default workflow permissions to read.",
    },
    Builtin {
        id: "org-runner-groups-scoped",
        band: Isolation,
        severity: High,
        scope: Org,
        title: "Runner groups are scoped",
        rationale: "A runner group open to all or public repositories lets any of them run code on it.",
        fix: "Limit runner groups to selected repositories and disallow public repositories.",
    },
    Builtin {
        id: "org-oidc-subject",
        band: Identity,
        severity: Info,
        scope: Org,
        title: "OIDC subject claim template customised",
        rationale: "A customised subject (e.g. including the environment) lets cloud roles trust less.",
        fix: "Customise the OIDC subject claim template to include repository and environment.",
    },
];

/// The ordered list of controls: built-in ones first, then Rego policy controls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Catalog {
    /// Repository controls, in catalog order (verdict vectors are aligned with this).
    pub repo: Vec<ControlDef>,
    /// Org controls, in catalog order.
    pub org: Vec<ControlDef>,
}

impl Catalog {
    /// The built-in catalog of `spec/controls.md`.
    pub fn builtin() -> Self {
        let mut repo = Vec::new();
        let mut org = Vec::new();
        for b in BUILTINS {
            let def = ControlDef {
                id: b.id.to_owned(),
                band: b.band,
                severity: b.severity,
                scope: b.scope,
                title: b.title.to_owned(),
                rationale: b.rationale.to_owned(),
                fix: b.fix.to_owned(),
            };
            match b.scope {
                Repo => repo.push(def),
                Org => org.push(def),
            }
        }
        Self { repo, org }
    }

    /// Index of a repository control by id.
    pub fn repo_index(&self, id: &str) -> Option<usize> {
        self.repo.iter().position(|c| c.id == id)
    }

    /// Index of an org control by id.
    pub fn org_index(&self, id: &str) -> Option<usize> {
        self.org.iter().position(|c| c.id == id)
    }
}
