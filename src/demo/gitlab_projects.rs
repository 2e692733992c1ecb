//! The projects of the GitLab demo group `acme-gl`, one line of facts each, in subgroups
//! (`platform/`, `payments/`, `web/`, `data/`, ...). Projects that set nothing inherit
//! GitLab's defaults (`BASE`); the well-run ones start from `STRICT`.

use crate::demo::templates::Gl;
use crate::model::Visibility;

/// Protection of the default branch.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Gp {
    /// Push: No one; merge: Maintainers; force push off; code owners required.
    Strict,
    /// Push and merge: Maintainers (GitLab's default protection).
    Maintainers,
    /// Developers can push; force push allowed.
    Weak,
    /// Not protected.
    None,
}

/// Push rules as read.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Pr {
    Signed,
    Unsigned,
    /// 404: push rules need GitLab Premium.
    NeedsPremium,
}

#[derive(Clone, Copy)]
pub(super) struct Spec {
    pub(super) path: &'static str,
    pub(super) desc: &'static str,
    pub(super) vis: Visibility,
    pub(super) archived: bool,
    pub(super) fetches: Option<u64>,
    pub(super) stars: u64,
    pub(super) forks: u64,
    pub(super) ci: Option<Gl>,
    pub(super) prot: Gp,
    /// Approvals required by a rule (0: no rule), author may approve, committers may approve.
    pub(super) approvals: u32,
    pub(super) author_approval: bool,
    pub(super) committers_approve: bool,
    pub(super) reset_on_push: bool,
    pub(super) push_rules: Pr,
    pub(super) must_succeed: bool,
    /// `Some(v)`: read; `None`: unreadable (needs Ultimate).
    pub(super) spp: Option<bool>,
    pub(super) job_token_allowlist: bool,
    pub(super) variables: &'static [&'static str],
    pub(super) envs: &'static [(&'static str, bool)],
    pub(super) release_branches: &'static [&'static str],
    pub(super) release: Option<&'static str>,
    pub(super) codeowners: Option<&'static str>,
}

pub(super) const BASE: Spec = Spec {
    path: "",
    desc: "",
    vis: Visibility::Private,
    archived: false,
    fetches: Some(0),
    stars: 0,
    forks: 0,
    ci: None,
    prot: Gp::Maintainers,
    approvals: 0,
    author_approval: true,
    committers_approve: true,
    reset_on_push: false,
    push_rules: Pr::Unsigned,
    must_succeed: false,
    spp: Some(false),
    job_token_allowlist: false,
    variables: &[],
    envs: &[],
    release_branches: &[],
    release: None,
    codeowners: None,
};

pub(super) const STRICT: Spec = Spec {
    prot: Gp::Strict,
    approvals: 2,
    author_approval: false,
    committers_approve: false,
    reset_on_push: true,
    push_rules: Pr::Signed,
    must_succeed: true,
    spp: Some(true),
    job_token_allowlist: true,
    codeowners: Some("CODEOWNERS"),
    ..BASE
};

pub(super) const PROJECTS: &[Spec] = &[
    Spec {
        path: "platform/ci-templates",
        desc: "Shared CI/CD templates included by every project",
        vis: Visibility::Internal,
        fetches: Some(48_200),
        stars: 14,
        forks: 3,
        ci: Some(Gl::GitleaksPinned),
        codeowners: Some(".gitlab/CODEOWNERS"),
        ..STRICT
    },
    Spec {
        path: "payments/ledger",
        desc: "Double-entry ledger service",
        fetches: Some(21_400),
        stars: 6,
        ci: Some(Gl::AwsOidc),
        envs: &[("production", true)],
        ..STRICT
    },
    Spec {
        path: "payments/payouts",
        desc: "Merchant payouts batch",
        fetches: Some(15_900),
        stars: 3,
        ci: Some(Gl::AwsStatic),
        prot: Gp::Maintainers,
        approvals: 1,
        reset_on_push: true,
        must_succeed: true,
        variables: &[
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "CLOUDFRONT_DISTRIBUTION_ID",
        ],
        envs: &[("production", false)],
        ..BASE
    },
    Spec {
        path: "platform/terraform",
        desc: "Terraform for the AWS landing zone",
        fetches: Some(12_300),
        stars: 5,
        ci: Some(Gl::TerraformRunners),
        prot: Gp::Maintainers,
        approvals: 1,
        must_succeed: true,
        push_rules: Pr::Signed,
        variables: &[
            "PROD_AWS_ACCESS_KEY_ID",
            "PROD_AWS_SECRET_ACCESS_KEY",
            "TF_STATE_BUCKET",
        ],
        envs: &[("production", true)],
        ..BASE
    },
    Spec {
        path: "web/storefront",
        desc: "Storefront frontend",
        fetches: Some(11_800),
        stars: 9,
        forks: 2,
        ci: Some(Gl::NodeSecretDetection),
        ..STRICT
    },
    Spec {
        path: "platform/runner-images",
        desc: "Docker images for the group runners",
        fetches: Some(9_400),
        stars: 2,
        ci: Some(Gl::DockerRelease),
        prot: Gp::Strict,
        approvals: 1,
        author_approval: false,
        must_succeed: true,
        release: Some("v2026.11.1"),
        ..BASE
    },
    Spec {
        path: "data/warehouse-loader",
        desc: "Loads event streams into the warehouse",
        fetches: Some(7_700),
        stars: 1,
        ci: Some(Gl::AwsStatic),
        prot: Gp::Weak,
        variables: &[
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "SNOWFLAKE_PASSWORD",
        ],
        push_rules: Pr::NeedsPremium,
        spp: None,
        ..BASE
    },
    Spec {
        path: "web/admin-console",
        desc: "Back-office admin console",
        fetches: Some(6_100),
        stars: 1,
        ci: Some(Gl::NodeSecretDetection),
        approvals: 1,
        must_succeed: true,
        ..BASE
    },
    Spec {
        path: "payments/fraud-rules",
        desc: "Fraud rules engine configuration",
        fetches: Some(5_600),
        ci: Some(Gl::GitleaksPinned),
        prot: Gp::Strict,
        approvals: 2,
        author_approval: false,
        committers_approve: false,
        reset_on_push: true,
        must_succeed: true,
        spp: Some(true),
        ..BASE
    },
    Spec {
        path: "mobile/android",
        desc: "Android app",
        fetches: Some(4_900),
        stars: 4,
        ci: Some(Gl::DockerRelease),
        prot: Gp::Maintainers,
        release_branches: &["release/7.2", "release/7.3"],
        release: Some("7.3.0"),
        ..BASE
    },
    Spec {
        path: "data/dbt-models",
        desc: "dbt models for the warehouse",
        fetches: Some(4_200),
        ci: Some(Gl::NodeSecretDetection),
        prot: Gp::Maintainers,
        approvals: 1,
        push_rules: Pr::NeedsPremium,
        spp: None,
        ..BASE
    },
    Spec {
        path: "platform/observability",
        desc: "Grafana dashboards and alert rules",
        fetches: Some(3_300),
        ci: Some(Gl::TerraformRunners),
        prot: Gp::Weak,
        variables: &[
            "PROD_AWS_ACCESS_KEY_ID",
            "PROD_AWS_SECRET_ACCESS_KEY",
            "GRAFANA_API_KEY",
        ],
        ..BASE
    },
    Spec {
        path: "identity/sso-bridge",
        desc: "SAML to OIDC bridge",
        fetches: Some(2_800),
        ci: Some(Gl::AwsOidc),
        envs: &[("production", true)],
        ..STRICT
    },
    Spec {
        path: "docs/handbook",
        desc: "Engineering handbook (public)",
        vis: Visibility::Public,
        fetches: Some(2_100),
        stars: 57,
        forks: 12,
        ci: Some(Gl::NodeSecretDetection),
        prot: Gp::Maintainers,
        approvals: 1,
        author_approval: false,
        spp: Some(true),
        ..BASE
    },
    Spec {
        path: "tools/release-bot",
        desc: "Changelog and release automation bot",
        fetches: None,
        stars: 3,
        forks: 1,
        ci: Some(Gl::DockerRelease),
        prot: Gp::None,
        push_rules: Pr::NeedsPremium,
        spp: None,
        ..BASE
    },
    Spec {
        path: "tools/dev-scripts",
        desc: "Scripts for local development",
        vis: Visibility::Internal,
        fetches: None,
        stars: 1,
        prot: Gp::None,
        ..BASE
    },
    Spec {
        path: "data/notebooks",
        desc: "Exploratory notebooks",
        fetches: Some(600),
        prot: Gp::Weak,
        variables: &["GCP_SA_KEY"],
        ..BASE
    },
    Spec {
        path: "payments/legacy-gateway",
        desc: "Old payment gateway adapter (read-only)",
        archived: true,
        fetches: Some(40),
        ci: Some(Gl::AwsStatic),
        variables: &["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"],
        ..BASE
    },
    Spec {
        path: "web/marketing-site",
        desc: "www.acme.example",
        vis: Visibility::Public,
        fetches: Some(1_500),
        stars: 8,
        ci: Some(Gl::AwsStatic),
        variables: &[
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "CLOUDFRONT_DISTRIBUTION_ID",
        ],
        envs: &[("production", false)],
        ..BASE
    },
    Spec {
        path: "identity/user-directory",
        desc: "User directory sync",
        fetches: Some(1_100),
        ci: Some(Gl::GitleaksPinned),
        prot: Gp::Maintainers,
        approvals: 1,
        must_succeed: true,
        job_token_allowlist: true,
        ..BASE
    },
];

pub(super) const GROUP_RUNNERS: &[(u64, &str, &[&str])] = &[
    (7101, "gl-shared-01", &["acme-shared", "terraform"]),
    (7102, "gl-shared-02", &["acme-shared", "terraform"]),
    (7103, "gl-docker-01", &["docker"]),
];
