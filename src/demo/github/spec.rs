//! The shape of one demo repository (a line of facts) and the org-wide pieces the table
//! refers to: runners, the `baseline` ruleset's repositories, the default token permission.
//!
//! The table (`top`, `long_tail`, `unreadable`) is tuned so the rollout is mid-way (see
//! `tests/demo.rs`): cloud deploys partly on OIDC, 6 of the top 10 fully protected, about 40%
//! of repositories with secret scanning and push protection, 1 of 8 self-hosted runners
//! ephemeral.

use crate::demo::templates::{Pc, Wf};
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

pub(super) const BASE: Spec = Spec {
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
    token: ORG_DEFAULT_TOKEN,
};

pub(super) const GH_CO: Option<&str> = Some(".github/CODEOWNERS");
pub(super) const ROOT_CO: Option<&str> = Some("CODEOWNERS");

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

pub(super) const LINUX: &[u64] = &[202, 203, 204];
pub(super) const GPU: &[u64] = &[205, 206];

/// Repositories covered by the org ruleset `baseline` (matched by repository name).
pub(super) const BASELINE_REPOS: &[&str] = &[
    "web-storefront",
    "checkout-service",
    "api-gateway",
    "platform-tools",
    "cart-service",
];

/// The org's default workflow token permission; repositories inherit it unless they set `Read`.
pub(super) const ORG_DEFAULT_TOKEN: TokenPermission = TokenPermission::Write;
