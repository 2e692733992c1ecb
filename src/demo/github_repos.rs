//! The repositories of the GitHub demo org `acme`, one line of facts each.
//!
//! The table is tuned so the rollout is mid-way (see `tests/demo.rs`): cloud deploys are
//! partly on OIDC, 6 of the top 10 are fully protected, about 40% of repositories have
//! secret scanning with push protection, and 1 of 8 self-hosted runners is ephemeral.

use super::templates::{Pc, Wf};
use crate::model::{TokenPermission, Visibility};

/// Traffic as the token saw it.
#[derive(Debug, Clone, Copy)]
pub(super) enum Tr {
    /// Views, uniques, clones over 14 days.
    Views(u64, u64, u64),
    /// 403: traffic needs push access (the repo ranks by stars + forks).
    Forbidden,
}

/// Default-branch protection profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Prot {
    /// Classic protection with every switch on.
    Full,
    /// No classic protection; covered by the active org ruleset `baseline`.
    Baseline,
    /// Classic protection with one review, status checks, no last-push approval, no
    /// signatures, admins not included.
    Partial,
    /// Classic protection that only requires a pull request (no approvals), force pushes allowed.
    Weak,
    /// Not protected (404 "Branch not protected").
    None,
    /// 403 reading classic protection (needs `Administration:read`).
    Forbidden,
    /// A repo ruleset with every rule, but with bypass actors.
    Bypass,
}

/// Secret scanning switches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Scan {
    /// Secret scanning and push protection.
    Both,
    /// Secret scanning alerts only, no push protection.
    AlertsOnly,
    /// Neither.
    Off,
    /// `security_and_analysis` not returned (needs admin).
    Forbidden,
}

/// One repository of the demo org.
#[derive(Debug, Clone, Copy)]
pub(super) struct Spec {
    pub name: &'static str,
    pub desc: &'static str,
    pub vis: Visibility,
    pub archived: bool,
    pub fork: bool,
    pub topics: &'static [&'static str],
    pub traffic: Tr,
    pub stars: u64,
    pub forks: u64,
    /// Days before the snapshot of the last push.
    pub pushed: i64,
    pub wf: &'static [Wf],
    pub pc: Option<Pc>,
    pub prot: Prot,
    pub scan: Scan,
    /// Repository secrets: name and days since the last update; `None`: 403 `Secrets:read`.
    pub secrets: Option<&'static [(&'static str, i64)]>,
    /// Environments: name, required reviewers, protected branches only.
    pub envs: &'static [(&'static str, u32, bool)],
    /// Existing branches matching the release patterns.
    pub release_branches: &'static [&'static str],
    /// A classic rule on `release/*`: does it restrict pushes?
    pub release_rule: Option<bool>,
    /// Latest release: tag, days ago, attested.
    pub release: Option<(&'static str, i64, Option<bool>)>,
    /// Self-hosted runner ids (see `RUNNERS`) this repository can use.
    pub runners: &'static [u64],
    pub codeowners: Option<&'static str>,
    pub token: TokenPermission,
}

const BASE: Spec = Spec {
    name: "",
    desc: "",
    vis: Visibility::Private,
    archived: false,
    fork: false,
    topics: &[],
    traffic: Tr::Views(0, 0, 0),
    stars: 0,
    forks: 0,
    pushed: 3,
    wf: &[],
    pc: None,
    prot: Prot::None,
    scan: Scan::Off,
    secrets: Some(&[]),
    envs: &[],
    release_branches: &[],
    release_rule: None,
    release: None,
    runners: &[],
    codeowners: None,
    token: TokenPermission::Write,
};

use Prot as P;
use Scan as S;
use TokenPermission::{Read, Write};
use Visibility::{Internal, Public};

const GH_CO: Option<&str> = Some(".github/CODEOWNERS");
const ROOT_CO: Option<&str> = Some("CODEOWNERS");

/// A self-hosted runner: id, name, labels, ephemeral, scope, group.
pub(super) type RunnerSpec = (
    u64,
    &'static str,
    &'static [&'static str],
    Option<bool>,
    &'static str,
    Option<&'static str>,
);

/// The org's self-hosted runners: one of eight is ephemeral.
pub(super) const RUNNERS: &[RunnerSpec] = &[
    (
        201,
        "arc-runner-set-7xk2p",
        &["arc-runner-set"],
        Some(true),
        "org",
        Some("arc"),
    ),
    (
        202,
        "build-01",
        &["self-hosted", "linux", "x64"],
        Some(false),
        "org",
        Some("linux-build"),
    ),
    (
        203,
        "build-02",
        &["self-hosted", "linux", "x64"],
        Some(false),
        "org",
        Some("linux-build"),
    ),
    (
        204,
        "build-03",
        &["self-hosted", "linux", "x64"],
        None,
        "org",
        Some("linux-build"),
    ),
    (
        205,
        "gpu-a100-01",
        &["self-hosted", "linux", "gpu"],
        None,
        "org",
        Some("gpu"),
    ),
    (
        206,
        "gpu-a100-02",
        &["self-hosted", "linux", "gpu"],
        None,
        "org",
        Some("gpu"),
    ),
    (
        207,
        "mac-mini-m2-01",
        &["self-hosted", "macOS", "ARM64"],
        Some(false),
        "repo",
        None,
    ),
    (
        208,
        "oss-e2e-01",
        &["self-hosted", "linux"],
        Some(false),
        "repo",
        None,
    ),
];

const LINUX: &[u64] = &[202, 203, 204];
const GPU: &[u64] = &[205, 206];

/// Repositories covered by the org ruleset `baseline` (matched by repository name).
pub(super) const BASELINE_REPOS: &[&str] = &[
    "web-storefront",
    "checkout-service",
    "api-gateway",
    "platform-tools",
    "cart-service",
];

/// The repositories, roughly by traffic.
pub(super) const REPOS: &[Spec] = &[
    Spec {
        name: "web-storefront",
        desc: "Customer-facing storefront (Next.js) served from Cloud Run",
        topics: &["frontend", "tier-1"],
        traffic: Tr::Views(9812, 1450, 311),
        stars: 41,
        forks: 12,
        wf: &[Wf::CiNode, Wf::GcpWif, Wf::Gitleaks],
        pc: Some(Pc::Gitleaks),
        prot: P::Baseline,
        scan: S::Both,
        secrets: Some(&[("SENTRY_AUTH_TOKEN", 35)]),
        envs: &[("production", 2, true), ("staging", 0, false)],
        codeowners: GH_CO,
        ..BASE
    },
    Spec {
        name: "payments-api",
        desc: "Payments API: card authorisation, refunds and payouts (PCI scope)",
        topics: &["payments", "pci", "tier-1"],
        traffic: Tr::Views(7403, 980, 264),
        stars: 36,
        forks: 9,
        pushed: 1,
        wf: &[Wf::AwsOidc, Wf::Gitleaks],
        pc: Some(Pc::Gitleaks),
        prot: P::Full,
        scan: S::Both,
        secrets: Some(&[("SLACK_WEBHOOK_URL", 30), ("PAGERDUTY_ROUTING_KEY", 61)]),
        envs: &[("production", 2, true), ("sandbox", 0, false)],
        release_branches: &["release/2026.11", "release/2026.10"],
        release_rule: Some(true),
        codeowners: GH_CO,
        token: Read,
        ..BASE
    },
    Spec {
        name: "checkout-service",
        desc: "Checkout orchestration between cart, payments and orders",
        topics: &["tier-1"],
        traffic: Tr::Views(6120, 802, 198),
        stars: 22,
        forks: 6,
        wf: &[Wf::AwsOidc, Wf::CiNode],
        pc: Some(Pc::Gitleaks),
        prot: P::Baseline,
        scan: S::Both,
        secrets: Some(&[("STRIPE_TEST_SECRET_KEY", 214)]),
        envs: &[("production", 1, true)],
        codeowners: GH_CO,
        ..BASE
    },
    Spec {
        name: "docs-site",
        desc: "developer.acme.example: public API documentation",
        vis: Public,
        topics: &["docs"],
        traffic: Tr::Views(5230, 2210, 88),
        stars: 187,
        forks: 64,
        wf: &[Wf::Pages, Wf::CiNode],
        prot: P::Partial,
        scan: S::Both,
        envs: &[("github-pages", 0, true)],
        codeowners: ROOT_CO,
        ..BASE
    },
    Spec {
        name: "identity-service",
        desc: "OAuth2 / OIDC provider and session service",
        topics: &["auth", "tier-1"],
        traffic: Tr::Views(4810, 640, 150),
        stars: 19,
        forks: 4,
        wf: &[Wf::AwsOidc, Wf::Trufflehog],
        pc: Some(Pc::Gitleaks),
        prot: P::Full,
        scan: S::Both,
        envs: &[("production", 1, true)],
        codeowners: GH_CO,
        token: Read,
        ..BASE
    },
    Spec {
        name: "terraform-live",
        desc: "Live Terraform for the AWS production and staging accounts",
        topics: &["infrastructure", "terraform"],
        traffic: Tr::Views(4302, 210, 540),
        stars: 8,
        forks: 1,
        wf: &[Wf::TerraformStatic],
        prot: P::Forbidden,
        scan: S::AlertsOnly,
        secrets: Some(&[
            ("PROD_AWS_ACCESS_KEY_ID", 412),
            ("PROD_AWS_SECRET_ACCESS_KEY", 412),
            ("INFRACOST_API_KEY", 120),
        ]),
        envs: &[("production", 0, false)],
        runners: LINUX,
        codeowners: GH_CO,
        ..BASE
    },
    Spec {
        name: "api-gateway",
        desc: "Edge API gateway (Envoy config and Go control plane)",
        topics: &["tier-1", "edge"],
        traffic: Tr::Views(3911, 520, 176),
        stars: 27,
        forks: 5,
        wf: &[Wf::DockerPush, Wf::CiGo],
        prot: P::Baseline,
        scan: S::Both,
        secrets: Some(&[("GO_MODULES_TOKEN", 45), ("CODECOV_TOKEN", 300)]),
        release: Some(("v2.31.0", 6, Some(false))),
        codeowners: GH_CO,
        ..BASE
    },
    Spec {
        name: "data-platform",
        desc: "Batch ingestion jobs and the Airflow DAG repository",
        topics: &["data"],
        traffic: Tr::Views(3507, 330, 402),
        stars: 11,
        forks: 3,
        wf: &[Wf::SelfHosted, Wf::AwsStatic],
        pc: Some(Pc::Basic),
        prot: P::Bypass,
        scan: S::Off,
        secrets: Some(&[
            ("AWS_ACCESS_KEY_ID", 251),
            ("AWS_SECRET_ACCESS_KEY", 251),
            ("SNOWFLAKE_PASSWORD", 97),
        ]),
        envs: &[("prod", 1, false)],
        runners: LINUX,
        codeowners: ROOT_CO,
        ..BASE
    },
    Spec {
        name: "ml-pipeline",
        desc: "Model training and evaluation pipelines (GPU)",
        topics: &["ml"],
        traffic: Tr::Views(3120, 290, 233),
        stars: 14,
        forks: 2,
        wf: &[Wf::GpuTraining, Wf::CiPython],
        pc: Some(Pc::Basic),
        prot: P::Full,
        scan: S::Both,
        secrets: Some(&[("WANDB_API_KEY", 20), ("HF_TOKEN", 150)]),
        runners: GPU,
        codeowners: GH_CO,
        ..BASE
    },
    Spec {
        name: "mobile-ios",
        desc: "The Acme iOS app",
        topics: &["mobile"],
        traffic: Tr::Views(2804, 190, 120),
        stars: 9,
        forks: 1,
        wf: &[Wf::Ios],
        prot: P::None,
        scan: S::AlertsOnly,
        secrets: Some(&[("MATCH_PASSWORD", 530), ("APP_STORE_CONNECT_API_KEY", 40)]),
        release_branches: &["release/5.12", "release/5.13"],
        runners: &[207],
        ..BASE
    },
    Spec {
        name: "search-service",
        desc: "Product search and autocomplete (OpenSearch)",
        traffic: Tr::Views(2410, 260, 98),
        stars: 7,
        forks: 1,
        wf: &[Wf::AwsOidc, Wf::CiGo],
        prot: P::Full,
        scan: S::Both,
        secrets: Some(&[("GO_MODULES_TOKEN", 45)]),
        envs: &[("production", 1, true)],
        codeowners: GH_CO,
        ..BASE
    },
    Spec {
        name: "platform-tools",
        desc: "Internal CLI and Go libraries of the platform team",
        vis: Internal,
        topics: &["platform"],
        traffic: Tr::Views(2133, 240, 310),
        stars: 12,
        forks: 3,
        wf: &[Wf::SelfHostedHardened, Wf::ReleaseAttest],
        prot: P::Baseline,
        scan: S::Both,
        release: Some(("v1.8.0", 12, Some(true))),
        runners: &[201],
        codeowners: GH_CO,
        token: Read,
        ..BASE
    },
    Spec {
        name: "partner-portal",
        desc: "Partner self-service portal (.NET, Azure App Service)",
        traffic: Tr::Views(1904, 150, 61),
        stars: 3,
        wf: &[Wf::AzureOidc, Wf::CiNode],
        prot: P::Partial,
        scan: S::AlertsOnly,
        envs: &[("Production", 0, true)],
        codeowners: ROOT_CO,
        ..BASE
    },
    Spec {
        name: "notifications-service",
        desc: "Email, SMS and push notifications fan-out",
        traffic: Tr::Views(1712, 140, 57),
        stars: 4,
        wf: &[Wf::AwsStatic],
        prot: P::Weak,
        scan: S::Off,
        secrets: Some(&[
            ("AWS_ACCESS_KEY_ID", 320),
            ("AWS_SECRET_ACCESS_KEY", 320),
            ("SLACK_WEBHOOK_URL", 10),
        ]),
        envs: &[("prod", 0, false)],
        ..BASE
    },
    Spec {
        name: "cart-service",
        desc: "Shopping cart service",
        traffic: Tr::Views(1503, 133, 70),
        stars: 5,
        forks: 1,
        wf: &[Wf::AwsOidc],
        prot: P::Baseline,
        scan: S::Both,
        envs: &[("production", 1, true)],
        codeowners: GH_CO,
        ..BASE
    },
    Spec {
        name: "reporting-service",
        desc: "Scheduled finance and ops reports exported to BigQuery",
        traffic: Tr::Views(1350, 98, 40),
        stars: 2,
        wf: &[Wf::GcpKey],
        prot: P::None,
        scan: S::Off,
        secrets: Some(&[("GCP_SA_KEY", 702)]),
        envs: &[("production", 0, false)],
        ..BASE
    },
    Spec {
        name: "legacy-billing",
        desc: "Legacy invoicing system (Java 8). Being replaced by payments-api.",
        topics: &["legacy"],
        traffic: Tr::Views(1204, 77, 35),
        stars: 3,
        pushed: 41,
        wf: &[Wf::AwsStatic],
        prot: P::Forbidden,
        scan: S::Off,
        secrets: Some(&[
            ("AWS_ACCESS_KEY_ID", 1103),
            ("AWS_SECRET_ACCESS_KEY", 1103),
            ("DB_PASSWORD", 860),
        ]),
        release_branches: &["release-2019.4", "release-2020.1"],
        ..BASE
    },
    Spec {
        name: "sdk-python",
        desc: "Official Python SDK for the Acme API",
        vis: Public,
        topics: &["sdk", "python"],
        traffic: Tr::Views(1108, 640, 230),
        stars: 412,
        forks: 88,
        wf: &[Wf::CiPython, Wf::PypiTrusted],
        pc: Some(Pc::Basic),
        prot: P::Partial,
        scan: S::Both,
        envs: &[("pypi", 1, false)],
        release: Some(("v2.4.1", 9, Some(true))),
        codeowners: GH_CO,
        ..BASE
    },
    Spec {
        name: "sdk-js",
        desc: "Official JavaScript/TypeScript SDK for the Acme API",
        vis: Public,
        topics: &["sdk", "javascript"],
        traffic: Tr::Views(982, 570, 190),
        stars: 356,
        forks: 71,
        wf: &[Wf::CiNode, Wf::NpmPublish],
        prot: P::Partial,
        scan: S::Both,
        release: Some(("v3.0.2", 17, Some(false))),
        codeowners: GH_CO,
        ..BASE
    },
    Spec {
        name: "acme-cli",
        desc: "acme: the command-line client",
        vis: Public,
        topics: &["cli", "go"],
        traffic: Tr::Views(903, 480, 150),
        stars: 298,
        forks: 40,
        wf: &[Wf::CiGo, Wf::ReleaseAttest, Wf::SelfHostedPublic],
        prot: P::Full,
        scan: S::Both,
        secrets: Some(&[("GO_MODULES_TOKEN", 45)]),
        release: Some(("v0.9.3", 23, Some(true))),
        runners: &[208],
        codeowners: GH_CO,
        ..BASE
    },
    Spec {
        name: "inventory-service",
        desc: "Stock levels and warehouse reservations",
        traffic: Tr::Views(821, 70, 33),
        stars: 2,
        wf: &[Wf::DockerPush, Wf::CiGo],
        prot: P::None,
        scan: S::Off,
        secrets: Some(&[("GO_MODULES_TOKEN", 190)]),
        ..BASE
    },
    Spec {
        name: "fraud-detection",
        desc: "Real-time fraud scoring models and features",
        topics: &["ml", "payments"],
        traffic: Tr::Views(760, 61, 44),
        stars: 3,
        wf: &[Wf::CiPython, Wf::DispatchRunner],
        pc: Some(Pc::Basic),
        prot: P::Partial,
        scan: S::AlertsOnly,
        ..BASE
    },
    Spec {
        name: "ml-feature-store",
        desc: "Feature definitions and materialisation jobs",
        topics: &["ml", "data"],
        traffic: Tr::Views(702, 55, 60),
        stars: 2,
        wf: &[Wf::CiPython, Wf::AwsStatic],
        prot: P::Weak,
        scan: S::Off,
        secrets: Some(&[("AWS_ACCESS_KEY_ID", 95), ("AWS_SECRET_ACCESS_KEY", 95)]),
        ..BASE
    },
    Spec {
        name: "internal-admin",
        desc: "Back-office admin console",
        traffic: Tr::Views(640, 52, 21),
        stars: 1,
        wf: &[Wf::CiNode],
        prot: P::None,
        scan: S::AlertsOnly,
        ..BASE
    },
    Spec {
        name: "k8s-manifests",
        desc: "Argo CD application manifests for every cluster",
        topics: &["gitops", "infrastructure"],
        traffic: Tr::Views(604, 45, 900),
        stars: 4,
        wf: &[Wf::Trufflehog],
        prot: P::Full,
        scan: S::Both,
        codeowners: GH_CO,
        ..BASE
    },
    Spec {
        name: "helm-charts",
        desc: "Helm charts for Acme's self-hosted edition",
        vis: Public,
        topics: &["helm", "kubernetes"],
        traffic: Tr::Views(561, 300, 420),
        stars: 132,
        forks: 57,
        wf: &[Wf::Gitleaks, Wf::DockerPush],
        prot: P::Partial,
        scan: S::Both,
        release: Some(("chart-1.12.0", 30, None)),
        release_branches: &["release-1.11", "release-1.12"],
        release_rule: Some(false),
        codeowners: ROOT_CO,
        ..BASE
    },
    Spec {
        name: "observability-stack",
        desc: "Prometheus rules, Grafana dashboards and the OTel collector config",
        traffic: Tr::Views(522, 44, 30),
        stars: 3,
        wf: &[Wf::SelfHosted],
        prot: P::None,
        scan: S::AlertsOnly,
        runners: LINUX,
        ..BASE
    },
    Spec {
        name: "design-system",
        desc: "Acme UI components and design tokens",
        vis: Public,
        topics: &["frontend", "design"],
        traffic: Tr::Views(483, 260, 52),
        stars: 220,
        forks: 18,
        wf: &[Wf::CiNode, Wf::NpmPublish, Wf::Pages],
        prot: P::Partial,
        scan: S::Both,
        release: Some(("v4.1.0", 14, Some(false))),
        codeowners: GH_CO,
        ..BASE
    },
    Spec {
        name: "email-templates",
        desc: "Transactional email templates (MJML)",
        traffic: Tr::Views(431, 30, 12),
        wf: &[Wf::CiNode],
        prot: P::None,
        scan: S::Off,
        ..BASE
    },
    Spec {
        name: "order-service",
        desc: "Order lifecycle and fulfilment events",
        traffic: Tr::Views(402, 38, 25),
        stars: 2,
        wf: &[Wf::AwsOidc, Wf::CiGo],
        prot: P::Full,
        scan: S::Both,
        secrets: Some(&[("GO_MODULES_TOKEN", 45)]),
        envs: &[("production", 1, true)],
        codeowners: GH_CO,
        ..BASE
    },
    Spec {
        name: "shipping-service",
        desc: "Carrier integrations and label printing",
        traffic: Tr::Views(371, 29, 18),
        stars: 1,
        wf: &[Wf::AwsStatic, Wf::CiGo],
        prot: P::Weak,
        scan: S::AlertsOnly,
        secrets: Some(&[
            ("AWS_ACCESS_KEY_ID", 150),
            ("AWS_SECRET_ACCESS_KEY", 150),
            ("GO_MODULES_TOKEN", 45),
        ]),
        envs: &[("prod", 0, false)],
        ..BASE
    },
    Spec {
        name: "customer-api",
        desc: "Customer profile API (FastAPI on Cloud Run)",
        traffic: Tr::Views(340, 31, 16),
        stars: 1,
        wf: &[Wf::GcpWif, Wf::CiPython],
        prot: P::Partial,
        scan: S::Both,
        envs: &[("production", 1, false)],
        codeowners: GH_CO,
        ..BASE
    },
    Spec {
        name: "recommendations",
        desc: "Product recommendations batch scoring",
        topics: &["ml"],
        traffic: Tr::Views(310, 20, 14),
        wf: &[Wf::CiPython],
        prot: P::None,
        scan: S::Off,
        ..BASE
    },
    Spec {
        name: "analytics-etl",
        desc: "Nightly ETL from the operational databases to the warehouse",
        topics: &["data"],
        traffic: Tr::Views(282, 19, 40),
        stars: 1,
        wf: &[Wf::AwsStatic, Wf::CiPython],
        prot: P::None,
        scan: S::Off,
        secrets: Some(&[("AWS_ACCESS_KEY_ID", 600), ("AWS_SECRET_ACCESS_KEY", 600)]),
        ..BASE
    },
    Spec {
        name: "status-page",
        desc: "status.acme.example",
        vis: Public,
        traffic: Tr::Views(251, 190, 8),
        stars: 15,
        forks: 4,
        wf: &[Wf::Pages],
        prot: P::None,
        scan: S::Both,
        envs: &[("github-pages", 0, true)],
        ..BASE
    },
    Spec {
        name: "infra-modules",
        desc: "Shared Terraform modules (VPC, EKS, RDS)",
        topics: &["terraform", "infrastructure"],
        traffic: Tr::Views(233, 25, 300),
        stars: 6,
        wf: &[Wf::TerraformStatic],
        prot: P::Partial,
        scan: S::AlertsOnly,
        secrets: Some(&[]),
        envs: &[("production", 1, true)],
        runners: LINUX,
        codeowners: GH_CO,
        ..BASE
    },
    Spec {
        name: "chatops-bot",
        desc: "Slack bot for deploys and on-call",
        traffic: Tr::Views(210, 18, 9),
        wf: &[Wf::DockerPush, Wf::CiNode],
        prot: P::None,
        scan: S::Off,
        secrets: Some(&[("SLACK_BOT_TOKEN", 400), ("SLACK_SIGNING_SECRET", 400)]),
        ..BASE
    },
    Spec {
        name: "load-tests",
        desc: "k6 load-test suites, run on demand",
        traffic: Tr::Views(190, 15, 22),
        wf: &[Wf::DispatchRunner],
        prot: P::None,
        scan: S::Off,
        ..BASE
    },
    Spec {
        name: "dev-environment",
        desc: "Devcontainer and local tooling for new engineers",
        vis: Internal,
        traffic: Tr::Views(170, 60, 80),
        stars: 9,
        wf: &[Wf::CiGo],
        prot: P::None,
        scan: S::Off,
        ..BASE
    },
    Spec {
        name: "security-tooling",
        desc: "Security team scanners, rules and playbooks",
        topics: &["security"],
        traffic: Tr::Views(152, 14, 11),
        stars: 4,
        wf: &[Wf::Gitleaks, Wf::Trufflehog, Wf::CiPython],
        pc: Some(Pc::Gitleaks),
        prot: P::Full,
        scan: S::Both,
        codeowners: GH_CO,
        token: Read,
        ..BASE
    },
    Spec {
        name: ".github",
        desc: "Org profile, community health files and workflow templates",
        vis: Public,
        traffic: Tr::Views(140, 92, 11),
        stars: 3,
        forks: 2,
        prot: P::Partial,
        scan: S::AlertsOnly,
        codeowners: GH_CO,
        ..BASE
    },
    Spec {
        name: "data-contracts",
        desc: "Schemas and contracts between producers and the warehouse",
        topics: &["data"],
        traffic: Tr::Views(113, 12, 40),
        wf: &[Wf::CiPython],
        prot: P::Weak,
        scan: S::AlertsOnly,
        codeowners: Some("docs/CODEOWNERS"),
        ..BASE
    },
    Spec {
        name: "pricing-engine",
        desc: "Dynamic pricing rules and the pricing API",
        traffic: Tr::Views(95, 9, 6),
        wf: &[Wf::AwsOidc, Wf::CiGo],
        prot: P::Full,
        scan: S::Both,
        secrets: Some(&[("GO_MODULES_TOKEN", 45)]),
        envs: &[("production", 2, true)],
        codeowners: GH_CO,
        ..BASE
    },
    Spec {
        name: "feature-flags",
        desc: "Feature flag definitions and the flag evaluation sidecar",
        traffic: Tr::Views(81, 8, 30),
        wf: &[Wf::CiNode],
        prot: P::Partial,
        scan: S::AlertsOnly,
        ..BASE
    },
    Spec {
        name: "android-app",
        desc: "The Acme Android app (built on Bitrise)",
        topics: &["mobile"],
        traffic: Tr::Views(72, 6, 4),
        prot: P::Partial,
        scan: S::AlertsOnly,
        codeowners: ROOT_CO,
        ..BASE
    },
    Spec {
        name: "marketing-site",
        desc: "www.acme.example",
        vis: Public,
        traffic: Tr::Views(64, 40, 5),
        stars: 6,
        forks: 2,
        wf: &[Wf::Pages, Wf::CiNode],
        prot: P::None,
        scan: S::Both,
        envs: &[("github-pages", 0, true)],
        ..BASE
    },
    Spec {
        name: "go-commons",
        desc: "Shared Go packages: logging, config, HTTP middleware",
        vis: Internal,
        traffic: Tr::Views(58, 21, 260),
        stars: 5,
        wf: &[Wf::CiGo],
        prot: P::Weak,
        scan: S::AlertsOnly,
        secrets: Some(&[("GO_MODULES_TOKEN", 45)]),
        ..BASE
    },
    Spec {
        name: "ios-sdk",
        desc: "Swift SDK for partners",
        traffic: Tr::Views(33, 5, 3),
        stars: 2,
        prot: P::None,
        scan: S::Off,
        ..BASE
    },
    Spec {
        name: "hackathon-2025",
        desc: "Hackathon projects, November 2025",
        traffic: Tr::Views(21, 6, 2),
        pushed: 360,
        wf: &[Wf::CiNode],
        prot: P::None,
        scan: S::Off,
        ..BASE
    },
    Spec {
        name: "sandbox-alice",
        desc: "Personal sandbox",
        traffic: Tr::Views(5, 1, 1),
        pushed: 75,
        wf: &[Wf::AwsStatic],
        prot: P::None,
        scan: S::Off,
        secrets: Some(&[("AWS_ACCESS_KEY_ID", 31), ("AWS_SECRET_ACCESS_KEY", 31)]),
        ..BASE
    },
    // --- traffic unreadable (403: needs push access): ranked by stars + forks ---
    Spec {
        name: "vendor-integrations",
        desc: "Connectors maintained with an external vendor",
        traffic: Tr::Forbidden,
        stars: 4,
        forks: 2,
        wf: &[Wf::CiPython],
        prot: P::Forbidden,
        scan: S::Forbidden,
        secrets: None,
        ..BASE
    },
    Spec {
        name: "finance-reports",
        desc: "Month-end close reports",
        traffic: Tr::Forbidden,
        stars: 1,
        wf: &[Wf::CiPython],
        prot: P::Forbidden,
        scan: S::Forbidden,
        secrets: None,
        ..BASE
    },
    Spec {
        name: "hr-integrations",
        desc: "HRIS to directory sync",
        traffic: Tr::Forbidden,
        wf: &[Wf::AwsStatic],
        prot: P::Forbidden,
        scan: S::Forbidden,
        secrets: None,
        ..BASE
    },
    Spec {
        name: "contractor-portal",
        desc: "Onboarding portal for contractors",
        traffic: Tr::Forbidden,
        stars: 2,
        forks: 1,
        wf: &[Wf::CiNode],
        prot: P::None,
        scan: S::Forbidden,
        secrets: None,
        ..BASE
    },
    Spec {
        name: "openapi-generator",
        desc: "Fork of OpenAPITools/openapi-generator with Acme templates",
        vis: Public,
        fork: true,
        traffic: Tr::Forbidden,
        stars: 3,
        forks: 0,
        pushed: 210,
        prot: P::None,
        scan: S::Both,
        ..BASE
    },
    Spec {
        name: "brand-assets",
        desc: "Logos, fonts and press kit",
        vis: Internal,
        traffic: Tr::Forbidden,
        stars: 7,
        prot: P::None,
        scan: S::AlertsOnly,
        ..BASE
    },
    // --- archived ---
    Spec {
        name: "legacy-monolith",
        desc: "ARCHIVED: the original Rails monolith",
        archived: true,
        traffic: Tr::Views(40, 3, 1),
        stars: 12,
        forks: 4,
        pushed: 900,
        wf: &[Wf::AwsStatic],
        prot: P::Weak,
        scan: S::Off,
        secrets: Some(&[("AWS_ACCESS_KEY_ID", 1500), ("AWS_SECRET_ACCESS_KEY", 1500)]),
        ..BASE
    },
    Spec {
        name: "old-website",
        desc: "ARCHIVED: the 2019 website",
        vis: Public,
        archived: true,
        traffic: Tr::Views(12, 9, 0),
        stars: 3,
        pushed: 1200,
        prot: P::None,
        scan: S::Both,
        ..BASE
    },
    Spec {
        name: "jenkins-shared-lib",
        desc: "ARCHIVED: Jenkins shared library (moved to GitHub Actions)",
        archived: true,
        traffic: Tr::Views(3, 2, 0),
        pushed: 700,
        prot: P::None,
        scan: S::Off,
        ..BASE
    },
    Spec {
        name: "flash-sale-2023",
        desc: "ARCHIVED: Black Friday 2023 flash-sale service",
        archived: true,
        traffic: Tr::Forbidden,
        stars: 1,
        pushed: 720,
        wf: &[Wf::AwsStatic],
        prot: P::None,
        scan: S::Off,
        ..BASE
    },
];

/// Static `Write` is the org default; kept referenced so the table reads uniformly.
pub(super) const ORG_DEFAULT_TOKEN: TokenPermission = Write;
