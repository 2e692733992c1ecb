//! Where a pipeline fact was found: which fact (typed), the line, what was seen there and, for
//! a cloud login, which provider and method.
//!
//! Controls read findings by [`FindingKind`] and [`Finding::auth`], never by parsing text. The
//! serialised form (snapshots' cached analyses, `posture pipeline --format json`, the Rego
//! input) is unchanged from when findings were strings: `{"fact": "cloud_auth", "line": 6,
//! "detail": "aws/static-key: …"}`. The provider/method prefix of a `cloud_auth` detail is
//! written and read here only, so the wire format has one owner.

use serde::{Deserialize, Serialize};

use super::facts::{AuthMethod, CloudAuth, CloudProvider};

/// Which fact a finding supports. Serialises as the fact's name in `PipelineFacts`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// A step authenticates to a cloud or registry (see [`Finding::auth`]).
    CloudAuth,
    /// A secret or variable is used as a static cloud credential.
    StaticKeySecretNames,
    /// The workflow sets top-level `permissions`.
    TopLevelPermissions,
    /// The workflow grants `write-all`.
    WriteAllPermissions,
    /// Some job asks for `id-token: write`.
    UsesIdTokenWrite,
    /// Secrets are exposed through workflow- or job-level `env`.
    WorkflowOrJobEnvSecrets,
    /// A third-party action is not pinned to a commit SHA.
    UnpinnedThirdPartyActions,
    /// A GitLab `include`.
    Includes,
    /// A GitLab `include` that is not pinned.
    UnpinnedIncludes,
    /// A job runs (or may run) on a self-hosted runner.
    SelfHostedJobs,
    /// A GitLab job selects runners by tag.
    RunnerTags,
    /// A secret scanner runs in the pipeline.
    SecretScanner,
    /// A pre-commit hook scans for secrets.
    PrecommitSecretHook,
    /// A job produces build provenance.
    Provenance,
    /// A job publishes an artifact or image.
    Publishes,
    /// An egress firewall step blocks.
    EgressBlock,
    /// An egress firewall step only audits.
    EgressAuditOnly,
    /// A fact name this build does not know (a cached analysis from another version).
    #[serde(other)]
    Unrecognised,
}

impl FindingKind {
    /// The fact's name as serialised (`cloud_auth`).
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::CloudAuth => "cloud_auth",
            FindingKind::StaticKeySecretNames => "static_key_secret_names",
            FindingKind::TopLevelPermissions => "top_level_permissions",
            FindingKind::WriteAllPermissions => "write_all_permissions",
            FindingKind::UsesIdTokenWrite => "uses_id_token_write",
            FindingKind::WorkflowOrJobEnvSecrets => "workflow_or_job_env_secrets",
            FindingKind::UnpinnedThirdPartyActions => "unpinned_third_party_actions",
            FindingKind::Includes => "includes",
            FindingKind::UnpinnedIncludes => "unpinned_includes",
            FindingKind::SelfHostedJobs => "self_hosted_jobs",
            FindingKind::RunnerTags => "runner_tags",
            FindingKind::SecretScanner => "secret_scanner",
            FindingKind::PrecommitSecretHook => "precommit_secret_hook",
            FindingKind::Provenance => "provenance",
            FindingKind::Publishes => "publishes",
            FindingKind::EgressBlock => "egress_block",
            FindingKind::EgressAuditOnly => "egress_audit_only",
            FindingKind::Unrecognised => "unrecognised",
        }
    }
}

impl std::fmt::Display for FindingKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

/// Where a fact was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "WireFinding", from = "WireFinding")]
pub struct Finding {
    /// Which fact.
    pub fact: FindingKind,
    /// 1-based line in the file.
    pub line: u32,
    /// What was seen, e.g. `aws-actions/configure-aws-credentials with aws-secret-access-key`
    /// (for a cloud login, without the `aws/static-key:` prefix: that is [`Finding::auth`]).
    pub detail: String,
    /// For [`FindingKind::CloudAuth`]: the provider and method this line logs in with.
    pub auth: Option<CloudAuth>,
}

impl Finding {
    /// A finding with no cloud login.
    pub fn new(fact: FindingKind, line: u32, detail: impl Into<String>) -> Self {
        Self {
            fact,
            line,
            detail: detail.into(),
            auth: None,
        }
    }

    /// What was seen, as printed and serialised: `aws/static-key: …` for a cloud login.
    pub fn full_detail(&self) -> String {
        match self.auth {
            Some(auth) => format!(
                "{}/{}: {}",
                provider_wire(auth.provider),
                method_wire(auth.method),
                self.detail
            ),
            None => self.detail.clone(),
        }
    }
}

/// The serialised shape of a [`Finding`].
#[derive(Serialize, Deserialize)]
struct WireFinding {
    fact: FindingKind,
    line: u32,
    detail: String,
}

impl From<Finding> for WireFinding {
    fn from(finding: Finding) -> Self {
        Self {
            detail: finding.full_detail(),
            fact: finding.fact,
            line: finding.line,
        }
    }
}

impl From<WireFinding> for Finding {
    fn from(wire: WireFinding) -> Self {
        let parsed = match wire.fact {
            FindingKind::CloudAuth => parse_auth_prefix(&wire.detail),
            _ => None,
        };
        match parsed {
            Some((auth, rest)) => Finding {
                fact: wire.fact,
                line: wire.line,
                detail: rest.to_owned(),
                auth: Some(auth),
            },
            None => Finding::new(wire.fact, wire.line, wire.detail),
        }
    }
}

const PROVIDERS: [CloudProvider; 5] = [
    CloudProvider::Aws,
    CloudProvider::Gcp,
    CloudProvider::Azure,
    CloudProvider::Vault,
    CloudProvider::Other,
];
const METHODS: [AuthMethod; 3] = [
    AuthMethod::Oidc,
    AuthMethod::StaticKey,
    AuthMethod::Implicit,
];

fn provider_wire(provider: CloudProvider) -> &'static str {
    match provider {
        CloudProvider::Aws => "aws",
        CloudProvider::Gcp => "gcp",
        CloudProvider::Azure => "azure",
        CloudProvider::Vault => "vault",
        CloudProvider::Other => "other",
    }
}

fn method_wire(method: AuthMethod) -> &'static str {
    match method {
        AuthMethod::Oidc => "oidc",
        AuthMethod::StaticKey => "static-key",
        AuthMethod::Implicit => "implicit",
    }
}

/// `aws/static-key: rest` → the login and `rest`; `None` when the detail has no such prefix.
fn parse_auth_prefix(detail: &str) -> Option<(CloudAuth, &str)> {
    let (head, rest) = detail.split_once(": ")?;
    let (provider, method) = head.split_once('/')?;
    let provider = *PROVIDERS.iter().find(|p| provider_wire(**p) == provider)?;
    let method = *METHODS.iter().find(|m| method_wire(**m) == method)?;
    Some((CloudAuth { provider, method }, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn login(provider: CloudProvider, method: AuthMethod) -> Finding {
        Finding {
            fact: FindingKind::CloudAuth,
            line: 6,
            detail: "aws-actions/configure-aws-credentials with role-to-assume".into(),
            auth: Some(CloudAuth { provider, method }),
        }
    }

    #[test]
    fn a_cloud_login_serialises_with_its_prefix_and_reads_back_typed() {
        for provider in PROVIDERS {
            for method in METHODS {
                let finding = login(provider, method);
                let json = serde_json::to_value(&finding).unwrap();
                let detail = json["detail"].as_str().unwrap();
                assert!(
                    detail.ends_with(": aws-actions/configure-aws-credentials with role-to-assume")
                );
                assert_eq!(json["fact"], "cloud_auth");
                let back: Finding = serde_json::from_value(json).unwrap();
                assert_eq!(back, finding);
            }
        }
        let json =
            serde_json::to_string(&login(CloudProvider::Aws, AuthMethod::StaticKey)).unwrap();
        assert_eq!(
            json,
            r#"{"fact":"cloud_auth","line":6,"detail":"aws/static-key: aws-actions/configure-aws-credentials with role-to-assume"}"#
        );
    }

    #[test]
    fn every_kind_serialises_as_its_name_and_unknown_names_still_load() {
        let kinds = [
            FindingKind::CloudAuth,
            FindingKind::StaticKeySecretNames,
            FindingKind::TopLevelPermissions,
            FindingKind::WriteAllPermissions,
            FindingKind::UsesIdTokenWrite,
            FindingKind::WorkflowOrJobEnvSecrets,
            FindingKind::UnpinnedThirdPartyActions,
            FindingKind::Includes,
            FindingKind::UnpinnedIncludes,
            FindingKind::SelfHostedJobs,
            FindingKind::RunnerTags,
            FindingKind::SecretScanner,
            FindingKind::PrecommitSecretHook,
            FindingKind::Provenance,
            FindingKind::Publishes,
            FindingKind::EgressBlock,
            FindingKind::EgressAuditOnly,
        ];
        for kind in kinds {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
        }
        let old: Finding =
            serde_json::from_str(r#"{"fact":"renamed_fact","line":2,"detail":"x"}"#).unwrap();
        assert_eq!(old.fact, FindingKind::Unrecognised);
        let plain: Finding =
            serde_json::from_str(r#"{"fact":"cloud_auth","line":2,"detail":"no prefix here"}"#)
                .unwrap();
        assert_eq!(
            (plain.auth, plain.detail.as_str()),
            (None, "no prefix here")
        );
    }
}
