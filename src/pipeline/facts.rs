//! The facts the analyser extracts from one pipeline file (the contract of
//! `posture pipeline --format json` and of the corpus labels), plus findings with lines.

use super::finding::{Finding, FindingKind};
use serde::{Deserialize, Serialize};

/// Bump when the analyser's output for some input changes: cached facts are then re-derived.
pub const ANALYSER_VERSION: u32 = 3;

/// What kind of file was analysed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileKind {
    /// A GitHub Actions workflow or composite action.
    GithubActions,
    /// A `.gitlab-ci.yml` or a file it includes.
    GitlabCi,
    /// A `.pre-commit-config.yaml`.
    PreCommit,
}

impl FileKind {
    /// Name as in the JSON contract.
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::GithubActions => "github-actions",
            FileKind::GitlabCi => "gitlab-ci",
            FileKind::PreCommit => "pre-commit",
        }
    }
}

/// Cloud or registry a step authenticates to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CloudProvider {
    /// Amazon Web Services.
    Aws,
    /// Google Cloud.
    Gcp,
    /// Microsoft Azure.
    Azure,
    /// HashiCorp Vault.
    Vault,
    /// Package registries with an OIDC option (PyPI, crates.io, npm) and similar services.
    Other,
}

impl CloudProvider {
    /// True for AWS, GCP and Azure: what the rollout calls a *cloud deploy*.
    pub fn is_cloud(self) -> bool {
        matches!(
            self,
            CloudProvider::Aws | CloudProvider::Gcp | CloudProvider::Azure
        )
    }
}

/// How a step authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AuthMethod {
    /// OIDC token exchanged for short-lived credentials.
    Oidc,
    /// A long-lived key or secret supplied to the step.
    StaticKey,
    /// A cloud CLI is used but the file never shows how it is credentialed.
    Implicit,
}

/// One way the file authenticates (deduplicated: the fact is a set).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CloudAuth {
    /// Provider.
    pub provider: CloudProvider,
    /// Method.
    pub method: AuthMethod,
}

/// `self_hosted_jobs`: `true`, `false` or `"maybe"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SelfHosted {
    /// Every job is on GitHub-hosted runners.
    #[default]
    No,
    /// Some job runs on a self-hosted runner.
    Yes,
    /// Some job's runner cannot be resolved from the file.
    Maybe,
}

impl Serialize for SelfHosted {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            SelfHosted::No => s.serialize_bool(false),
            SelfHosted::Yes => s.serialize_bool(true),
            SelfHosted::Maybe => s.serialize_str("maybe"),
        }
    }
}

impl<'de> Deserialize<'de> for SelfHosted {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::Bool(true) => Ok(SelfHosted::Yes),
            serde_json::Value::Bool(false) => Ok(SelfHosted::No),
            serde_json::Value::String(s) if s == "maybe" => Ok(SelfHosted::Maybe),
            other => Err(serde::de::Error::custom(format!(
                "self_hosted_jobs must be true, false or \"maybe\", not {other}"
            ))),
        }
    }
}

/// A job that runs (or may run) on a self-hosted runner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelfHostedJob {
    /// Job id.
    pub job: String,
    /// Literal runner labels (GitHub `runs-on`, GitLab `tags`).
    pub labels: Vec<String>,
    /// True when the runner cannot be resolved from the file.
    pub maybe: bool,
    /// The job runs harden-runner with `egress-policy: block`.
    pub egress_block: bool,
    /// Line of `runs-on` / `tags`.
    pub line: u32,
}

/// The per-file facts. Names match `shared/corpus/pipelines/README.md`; a fact that does not
/// apply to the file's kind is `None` and omitted from JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PipelineFacts {
    /// Every way the file authenticates to a cloud or registry (a set).
    pub cloud_auth: Vec<CloudAuth>,
    /// GitHub `id-token: write` anywhere / GitLab `id_tokens:` on a job.
    pub uses_id_token_write: bool,
    /// GitHub only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_hosted_jobs: Option<SelfHosted>,
    /// GitHub only: some job runs harden-runner with `egress-policy: block`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub egress_block: Option<bool>,
    /// GitHub only: every job does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub egress_block_all_jobs: Option<bool>,
    /// GitHub only: harden-runner present but never in block mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub egress_audit_only: Option<bool>,
    /// A job scans the repository for secrets.
    pub secret_scanner: bool,
    /// GitHub only: workflow- or job-level `env:` maps a secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workflow_or_job_env_secrets: Option<bool>,
    /// GitHub only: a top-level `permissions:` key exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top_level_permissions: Option<bool>,
    /// GitHub only: `uses:` occurrences of third-party actions not pinned to a full SHA.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unpinned_third_party_actions: Option<u32>,
    /// Produces signed provenance for what it publishes (`None` where it would be a guess).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<bool>,
    /// Secret / variable names used as static cloud credentials.
    pub static_key_secret_names: Vec<String>,
    /// GitLab only: include kinds (`local`, `template`, `project`, `remote`, `component`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub includes: Option<Vec<String>>,
    /// GitLab only: runner tags, where present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runner_tags: Option<Vec<String>>,
    /// GitLab only: anchors or aliases used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uses_yaml_anchors: Option<bool>,
    /// GitLab only: `extends:` used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uses_extends: Option<bool>,
    /// GitLab only: `!reference` tags used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uses_reference_tags: Option<bool>,
    /// GitLab only: more than one `<<:` merge key in one mapping.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate_merge_keys: Option<bool>,
    /// GitLab only: the file parses as YAML.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub yaml_valid: Option<bool>,
    /// A `workflow_call`-only reusable workflow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_reusable_workflow: Option<bool>,

    // ---- extra facts the controls need (not scored against the corpus) ----
    /// Top-level `permissions: write-all`.
    #[serde(default)]
    pub write_all_permissions: bool,
    /// A job publishes something (image push, package publish, release creation).
    #[serde(default)]
    pub publishes: bool,
    /// Jobs on self-hosted (or maybe self-hosted) runners, with their egress policy.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub self_hosted: Vec<SelfHostedJob>,
    /// Every secret / variable name the file references (`secrets.X`, `$X` for known keys).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secret_names: Vec<String>,
    /// Deployment environments jobs target (`environment:`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub environments: Vec<String>,
    /// GitLab only: `include: project:` / `component:` references not pinned to a full SHA.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unpinned_includes: Option<u32>,
    /// Pre-commit config only: a secret-scanning hook (gitleaks, trufflehog, detect-secrets, ggshield).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precommit_secret_hook: Option<bool>,

    // ---- facts that need the called local files (filled by `resolve_local_callees`) ----
    /// Local reusable workflows / actions (GitHub) or local includes (GitLab) the file
    /// references, as repository paths without `./`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub local_callees: Vec<String>,
    /// GitHub: cloud auth in called local reusable workflows / composite actions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_auth_via_local_callee: Option<Vec<CloudAuth>>,
    /// GitLab: cloud auth in local includes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_auth_via_include: Option<Vec<CloudAuth>>,
    /// GitHub: a called local reusable workflow scans for secrets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_scanner_via_local_callee: Option<bool>,
    /// GitHub: a called local reusable workflow produces provenance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance_via_local_callee: Option<bool>,
}

/// The analyser's answer for one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Analysis {
    /// Kind analysed as.
    pub kind: FileKind,
    /// `line:col: message` when the YAML could not be parsed (facts are then a tolerant reading).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The facts.
    pub facts: PipelineFacts,
    /// Where each fact came from.
    #[serde(default)]
    pub findings: Vec<Finding>,
}

impl Analysis {
    /// The first finding line for `fact`, if any.
    pub fn line_of(&self, fact: FindingKind) -> Option<u32> {
        self.findings
            .iter()
            .find(|f| f.fact == fact)
            .map(|f| f.line)
    }

    /// The line of the `cloud_auth` finding for this provider and method, else the first
    /// `cloud_auth` line.
    pub fn auth_line(&self, auth: CloudAuth) -> Option<u32> {
        self.findings
            .iter()
            .find(|f| f.auth == Some(auth))
            .map(|f| f.line)
            .or_else(|| self.line_of(FindingKind::CloudAuth))
    }
}
