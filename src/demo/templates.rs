//! Pipeline and pre-commit templates of the demo orgs, embedded at build time.
//!
//! Real organisations share a handful of workflow templates across hundreds of
//! repositories; the demo and the synthetic orgs do the same, so `Snapshot::files`
//! stays small however many repositories reference it.

use crate::model::{FileRef, Snapshot};
use crate::pipeline::FileKind;

/// A GitHub Actions workflow template of the demo org.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Wf {
    /// AWS deploy by OIDC (`role-to-assume`, `id-token: write`), SHA-pinned.
    AwsOidc,
    /// AWS deploy with static keys from secrets, unpinned actions, no top-level permissions.
    AwsStatic,
    /// Terraform on self-hosted runners with static AWS keys in workflow-level `env:`.
    TerraformStatic,
    /// GCP deploy by workload identity federation.
    GcpWif,
    /// GCP deploy with a service-account key secret.
    GcpKey,
    /// Azure deploy by OIDC (`azure/login` with client id, no secret).
    AzureOidc,
    /// Release with `actions/attest-build-provenance` and `gh release create`.
    ReleaseAttest,
    /// Image push to GHCR without provenance.
    DockerPush,
    /// gitleaks job.
    Gitleaks,
    /// TruffleHog job (unpinned).
    Trufflehog,
    /// Node CI, pinned, top-level permissions.
    CiNode,
    /// Go CI, unpinned, a secret in workflow-level `env:`.
    CiGo,
    /// Python CI, `actions/*` only, top-level permissions.
    CiPython,
    /// Build on self-hosted runners, no egress control.
    SelfHosted,
    /// Build on an ARC scale set with harden-runner `egress-policy: block`.
    SelfHostedHardened,
    /// GPU training on self-hosted runners with harden-runner in audit mode only.
    GpuTraining,
    /// `runs-on: ${{ inputs.runner }}`: the runner cannot be resolved from the file.
    DispatchRunner,
    /// GitHub Pages deploy: `id-token: write` that is not a cloud login (a trap).
    Pages,
    /// npm publish with a registry token, no provenance.
    NpmPublish,
    /// Hosted unit tests plus an end-to-end job on a self-hosted runner.
    SelfHostedPublic,
    /// iOS build on a self-hosted Mac with signing secrets in job-level `env:`.
    Ios,
    /// PyPI trusted publishing with build provenance.
    PypiTrusted,
}

impl Wf {
    /// Every template, in a fixed order (the synthetic generator indexes into it).
    pub const ALL: [Wf; 22] = [
        Wf::AwsOidc,
        Wf::AwsStatic,
        Wf::TerraformStatic,
        Wf::GcpWif,
        Wf::GcpKey,
        Wf::AzureOidc,
        Wf::ReleaseAttest,
        Wf::DockerPush,
        Wf::Gitleaks,
        Wf::Trufflehog,
        Wf::CiNode,
        Wf::CiGo,
        Wf::CiPython,
        Wf::SelfHosted,
        Wf::SelfHostedHardened,
        Wf::GpuTraining,
        Wf::DispatchRunner,
        Wf::Pages,
        Wf::NpmPublish,
        Wf::SelfHostedPublic,
        Wf::Ios,
        Wf::PypiTrusted,
    ];

    /// Full path of the workflow in a repository.
    pub fn path(self) -> &'static str {
        match self {
            Wf::AwsOidc => ".github/workflows/deploy.yml",
            Wf::AwsStatic => ".github/workflows/deploy-prod.yml",
            Wf::TerraformStatic => ".github/workflows/terraform.yml",
            Wf::GcpWif => ".github/workflows/cloud-run.yml",
            Wf::GcpKey => ".github/workflows/deploy-gcp.yml",
            Wf::AzureOidc => ".github/workflows/azure-webapp.yml",
            Wf::ReleaseAttest => ".github/workflows/release.yml",
            Wf::DockerPush => ".github/workflows/docker.yml",
            Wf::Gitleaks => ".github/workflows/gitleaks.yml",
            Wf::Trufflehog => ".github/workflows/secret-leaks.yml",
            Wf::CiNode => ".github/workflows/ci.yml",
            Wf::CiGo => ".github/workflows/ci.yaml",
            Wf::CiPython => ".github/workflows/tests.yml",
            Wf::SelfHosted => ".github/workflows/build.yml",
            Wf::SelfHostedHardened => ".github/workflows/build-arc.yml",
            Wf::GpuTraining => ".github/workflows/train.yml",
            Wf::DispatchRunner => ".github/workflows/integration.yml",
            Wf::Pages => ".github/workflows/pages.yml",
            Wf::NpmPublish => ".github/workflows/publish.yml",
            Wf::SelfHostedPublic => ".github/workflows/e2e.yml",
            Wf::Ios => ".github/workflows/ios.yml",
            Wf::PypiTrusted => ".github/workflows/pypi.yml",
        }
    }

    /// The workflow text.
    pub fn text(self) -> &'static str {
        match self {
            Wf::AwsOidc => include_str!("../../assets/demo/github/deploy-aws-oidc.yml"),
            Wf::AwsStatic => include_str!("../../assets/demo/github/deploy-aws-static.yml"),
            Wf::TerraformStatic => {
                include_str!("../../assets/demo/github/terraform-static-env.yml")
            }
            Wf::GcpWif => include_str!("../../assets/demo/github/deploy-gcp-wif.yml"),
            Wf::GcpKey => include_str!("../../assets/demo/github/deploy-gcp-key.yml"),
            Wf::AzureOidc => include_str!("../../assets/demo/github/deploy-azure-oidc.yml"),
            Wf::ReleaseAttest => include_str!("../../assets/demo/github/release-attest.yml"),
            Wf::DockerPush => include_str!("../../assets/demo/github/docker-push.yml"),
            Wf::Gitleaks => include_str!("../../assets/demo/github/gitleaks.yml"),
            Wf::Trufflehog => include_str!("../../assets/demo/github/trufflehog.yml"),
            Wf::CiNode => include_str!("../../assets/demo/github/ci-node.yml"),
            Wf::CiGo => include_str!("../../assets/demo/github/ci-go.yml"),
            Wf::CiPython => include_str!("../../assets/demo/github/ci-python.yml"),
            Wf::SelfHosted => include_str!("../../assets/demo/github/selfhosted-build.yml"),
            Wf::SelfHostedHardened => {
                include_str!("../../assets/demo/github/selfhosted-hardened.yml")
            }
            Wf::GpuTraining => include_str!("../../assets/demo/github/gpu-training.yml"),
            Wf::DispatchRunner => include_str!("../../assets/demo/github/dispatch-runner.yml"),
            Wf::Pages => include_str!("../../assets/demo/github/pages.yml"),
            Wf::NpmPublish => include_str!("../../assets/demo/github/npm-publish.yml"),
            Wf::SelfHostedPublic => include_str!("../../assets/demo/github/selfhosted-public.yml"),
            Wf::Ios => include_str!("../../assets/demo/github/ios-build.yml"),
            Wf::PypiTrusted => include_str!("../../assets/demo/github/pypi-trusted.yml"),
        }
    }
}

/// A GitLab CI template of the demo group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Gl {
    /// AWS deploy with `id_tokens` and `assume-role-with-web-identity`; Secret-Detection template.
    AwsOidc,
    /// AWS deploy with static key variables and an unpinned `include: project:`.
    AwsStatic,
    /// Build and test with a gitleaks job and a SHA-pinned `include: project:`.
    GitleaksPinned,
    /// Terraform on tagged group runners, static keys, no scanner.
    TerraformRunners,
    /// Container build and push to the GitLab registry with a `release:` job.
    DockerRelease,
    /// Plain test pipeline (Node) with the Secret-Detection template.
    NodeSecretDetection,
}

impl Gl {
    /// Every template, in a fixed order.
    pub const ALL: [Gl; 6] = [
        Gl::AwsOidc,
        Gl::AwsStatic,
        Gl::GitleaksPinned,
        Gl::TerraformRunners,
        Gl::DockerRelease,
        Gl::NodeSecretDetection,
    ];

    /// The pipeline text.
    pub fn text(self) -> &'static str {
        match self {
            Gl::AwsOidc => include_str!("../../assets/demo/gitlab/aws-oidc.gitlab-ci.yml"),
            Gl::AwsStatic => include_str!("../../assets/demo/gitlab/aws-static.gitlab-ci.yml"),
            Gl::GitleaksPinned => {
                include_str!("../../assets/demo/gitlab/gitleaks-pinned.gitlab-ci.yml")
            }
            Gl::TerraformRunners => {
                include_str!("../../assets/demo/gitlab/terraform-runners.gitlab-ci.yml")
            }
            Gl::DockerRelease => {
                include_str!("../../assets/demo/gitlab/docker-release.gitlab-ci.yml")
            }
            Gl::NodeSecretDetection => {
                include_str!("../../assets/demo/gitlab/node-secret-detection.gitlab-ci.yml")
            }
        }
    }
}

/// A `.pre-commit-config.yaml` template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pc {
    /// Hygiene hooks plus the gitleaks hook.
    Gitleaks,
    /// Hygiene and formatting hooks only.
    Basic,
}

impl Pc {
    /// The config text.
    pub fn text(self) -> &'static str {
        match self {
            Pc::Gitleaks => include_str!("../../assets/demo/precommit/gitleaks.yaml"),
            Pc::Basic => include_str!("../../assets/demo/precommit/basic.yaml"),
        }
    }
}

/// Path of the pre-commit configuration in a repository.
pub const PRECOMMIT_PATH: &str = ".pre-commit-config.yaml";

/// Path of the GitLab pipeline in a project.
pub const GITLAB_CI_PATH: &str = ".gitlab-ci.yml";

/// Store a template in the snapshot (once per content) and return the repository's reference.
pub fn file_ref(snapshot: &mut Snapshot, kind: FileKind, path: &str, text: &str) -> FileRef {
    let hash = snapshot.add_file(kind, text.to_owned());
    FileRef {
        path: path.to_owned(),
        hash,
    }
}
