//! The fault matrix: GitHub and GitLab syncs against the fakes behind a fault-injecting proxy
//! (`support/fault_proxy.rs`). Every case: no panic; the sync completes with the affected facts
//! `unknown` (reason given) or fails cleanly; no `pass`/`fail` verdict differs from the
//! fault-free run (a fault may only move a verdict to `unknown`); a saved snapshot never
//! touches the previous one. The CLI cases check exit 3 and the snapshot left intact.

// Both fake servers are loaded here, and each brings the shared loopback server loop in as its
// own module: two copies of one small file, in a test binary only.
#![allow(clippy::duplicate_mod)]

mod support;

use support::{fake_github, fake_gitlab, fault_proxy, sync_github_common as common};

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use fault_proxy::{Fault, FaultProxy, Rule};
use posture::controls::Status;
use posture::model::Snapshot;

const ALWAYS: usize = usize::MAX;

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// Every verdict of a snapshot: (repo or `org`, control id) → status and unknown reason.
fn verdicts(snapshot: &Snapshot) -> BTreeMap<(String, String), (Status, Option<String>)> {
    let mut snapshot = snapshot.clone();
    posture::assess::ensure_analysed(&mut snapshot);
    let registry = posture::assess::Registry::builtin();
    let a = posture::assess::assess(&snapshot, &posture::config::Settings::default(), &registry)
        .expect("built-in controls judge without error");
    let mut out = BTreeMap::new();
    for (def, v) in a.catalog.org.iter().zip(&a.org) {
        out.insert(
            ("org".into(), def.id.to_string()),
            (v.status, v.reason.as_deref().map(str::to_owned)),
        );
    }
    for (repo, vs) in snapshot.repos.iter().zip(&a.repos) {
        for (def, v) in a.catalog.repo.iter().zip(vs) {
            out.insert(
                (repo.name.clone(), def.id.to_string()),
                (v.status, v.reason.as_deref().map(str::to_owned)),
            );
        }
    }
    out
}

/// Faults may only move verdicts to `unknown`; returns the reasons of the verdicts moved.
fn only_moved_to_unknown(baseline: &Snapshot, faulty: &Snapshot, case: &str) -> Vec<String> {
    let (before, after) = (verdicts(baseline), verdicts(faulty));
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "{case}: same repositories and controls"
    );
    let mut moved = Vec::new();
    for (key, (status, _)) in &before {
        let (now, reason) = &after[key];
        if now == status {
            continue;
        }
        assert_eq!(
            *now,
            Status::Unknown,
            "{case}: {key:?} went from {status:?} to {now:?}"
        );
        let reason = reason.clone().unwrap_or_default();
        assert!(
            !reason.is_empty(),
            "{case}: {key:?} unknown without a reason"
        );
        moved.push(reason);
    }
    moved
}

/// Save `faulty` next to `baseline` in a store and check the baseline file is untouched.
fn saved_beside(baseline: &Snapshot, faulty: &Snapshot, dir: &Path) {
    let store = posture::store::Store::at(dir.join("store"));
    let first = store.save(baseline).unwrap();
    let bytes = std::fs::read(&first).unwrap();
    let mut later = faulty.clone();
    later.taken_at = baseline.taken_at + chrono::Duration::seconds(1);
    store.save(&later).unwrap();
    assert_eq!(
        std::fs::read(&first).unwrap(),
        bytes,
        "previous snapshot intact"
    );
    assert_eq!(store.list().unwrap().len(), 2);
}

enum Expect {
    /// The sync completes; every moved verdict's reason contains this (`None`: nothing moves).
    Completes(Option<&'static str>),
    /// The sync fails with a message containing this.
    Fails(&'static str),
}

fn github_case(case: &str, rules: Vec<Rule>, expect: Expect) {
    if common::skip() {
        return;
    }
    let fake = fake_github::FakeGithub::start(fake_github::fixtures::acme());
    let dir = tempfile::tempdir().unwrap();
    let (baseline, _) = common::run(common::options(&fake, &dir.path().join("a")));
    let baseline = baseline.unwrap();
    let proxy = FaultProxy::start(&fake.url);
    for rule in rules {
        proxy.add(rule);
    }
    let mut options = common::options(&fake, &dir.path().join("b"));
    options.api = posture::collect::api::ApiBase::parse(Some(&proxy.url)).unwrap();
    let (faulty, _) = common::run(options);
    assert!(proxy.served() > 0, "{case}: the fault was served");
    check(case, &baseline, faulty, expect, dir.path());
}

fn gitlab_case(case: &str, rules: Vec<Rule>, expect: Expect) {
    let fake = fake_gitlab::FakeGitlab::start(fake_gitlab::fixtures::acme());
    let dir = tempfile::tempdir().unwrap();
    let run = |url: &str, cache: &Path| {
        let mut options = fake_gitlab::cli::options(&fake, cache, "acme-gl");
        options.base_url = posture::collect::gitlab::http::GitlabBase::parse(Some(url)).unwrap();
        fake_gitlab::cli::run(options).0
    };
    let baseline = run(&fake.url, &dir.path().join("a")).unwrap();
    let proxy = FaultProxy::start(&fake.url);
    for rule in rules {
        proxy.add(rule);
    }
    let faulty = run(&proxy.url, &dir.path().join("b"));
    assert!(proxy.served() > 0, "{case}: the fault was served");
    check(case, &baseline, faulty, expect, dir.path());
}

fn check(
    case: &str,
    baseline: &Snapshot,
    faulty: Result<Snapshot, String>,
    expect: Expect,
    dir: &Path,
) {
    match (expect, faulty) {
        (Expect::Completes(reason), Ok(faulty)) => {
            let moved = only_moved_to_unknown(baseline, &faulty, case);
            match reason {
                None => assert!(moved.is_empty(), "{case}: nothing should move: {moved:?}"),
                Some(text) => {
                    assert!(!moved.is_empty(), "{case}: the affected facts are unknown");
                    assert!(
                        moved.iter().all(|r| r.contains(text)),
                        "{case}: reasons {moved:?} should say {text:?}"
                    );
                }
            }
            saved_beside(baseline, &faulty, dir);
        }
        (Expect::Fails(text), Err(message)) => {
            assert!(message.contains(text), "{case}: {message}");
        }
        (Expect::Completes(_), Err(message)) => panic!("{case}: failed: {message}"),
        (Expect::Fails(_), Ok(_)) => panic!("{case}: completed, expected a failure"),
    }
}

/// A read every sync makes for this repository, and on which its secret verdicts depend.
const GH_ROUTE: &str = "/repos/acme/repo-0000/actions/secrets";

#[test]
fn github_502_burst_is_retried() {
    github_case(
        "502 burst",
        vec![Rule::new(
            GH_ROUTE,
            2,
            Fault::status(502, "Server Error", &[]),
        )],
        Expect::Completes(None),
    );
}

#[test]
fn github_503_that_never_ends_is_unknown() {
    github_case(
        "503 always",
        vec![Rule::new(
            GH_ROUTE,
            ALWAYS,
            Fault::status(503, "Service Unavailable", &[]),
        )],
        Expect::Completes(Some("503")),
    );
}

#[test]
fn github_graphql_502_burst_is_retried() {
    let mut rule = Rule::new("/graphql", 1, Fault::status(502, "Server Error", &[]));
    rule.method = Some("POST");
    github_case("graphql 502", vec![rule], Expect::Completes(None));
}

#[test]
fn github_secondary_rate_limit_waits_and_goes_on() {
    github_case(
        "secondary limit",
        vec![Rule::new(
            GH_ROUTE,
            1,
            Fault::status(
                403,
                "You have exceeded a secondary rate limit.",
                &[("retry-after", "1".into())],
            ),
        )],
        Expect::Completes(None),
    );
}

fn primary_exhausted(reset_in: u64) -> Fault {
    Fault::status(
        403,
        "API rate limit exceeded for user ID 1.",
        &[
            ("x-ratelimit-remaining", "0".into()),
            ("x-ratelimit-reset", (now() + reset_in).to_string()),
            ("x-ratelimit-resource", "core".into()),
        ],
    )
}

#[test]
fn github_primary_limit_with_a_near_reset_waits() {
    github_case(
        "primary limit, reset in 2 s",
        vec![Rule::new(GH_ROUTE, 1, primary_exhausted(2))],
        Expect::Completes(None),
    );
}

#[test]
fn github_primary_limit_with_a_far_reset_stops() {
    github_case(
        "primary limit, reset in 2 h",
        vec![Rule::new(GH_ROUTE, ALWAYS, primary_exhausted(7200))],
        Expect::Fails("sync again after the reset"),
    );
}

#[test]
fn github_retry_after_beyond_any_date_stops_without_a_panic() {
    github_case(
        "Retry-After: 9000000000000",
        vec![Rule::new(
            GH_ROUTE,
            ALWAYS,
            Fault::status(
                403,
                "You have exceeded a secondary rate limit.",
                &[("retry-after", "9000000000000".into())],
            ),
        )],
        Expect::Fails("beyond any sensible reset"),
    );
}

#[test]
fn github_connection_resets_are_unknown() {
    github_case(
        "connection reset",
        vec![Rule::new(GH_ROUTE, ALWAYS, Fault::Reset)],
        Expect::Completes(Some("request failed")),
    );
}

#[test]
fn github_truncated_json_is_unknown() {
    github_case(
        "truncated JSON",
        vec![Rule::new(GH_ROUTE, ALWAYS, Fault::Truncate)],
        Expect::Completes(Some("connection closed before message completed")),
    );
}

#[test]
fn github_html_error_page_is_unknown() {
    github_case(
        "HTML 502 page",
        vec![Rule::new(GH_ROUTE, ALWAYS, Fault::html(502))],
        Expect::Completes(Some("502")),
    );
}

#[test]
fn github_html_page_answered_200_is_unknown() {
    github_case(
        "HTML 200 page",
        vec![Rule::new(GH_ROUTE, ALWAYS, Fault::html(200))],
        Expect::Completes(Some("invalid JSON")),
    );
}

#[test]
fn github_body_over_the_cap_is_unknown_and_says_so() {
    github_case(
        "body over the cap",
        vec![Rule::new(GH_ROUTE, ALWAYS, Fault::Huge(17 << 20))],
        Expect::Completes(Some("larger than the 16 MiB")),
    );
}

#[test]
fn github_listing_that_fails_fails_the_sync() {
    github_case(
        "listing HTML 502",
        vec![Rule::new("/orgs/acme/repos", ALWAYS, Fault::html(502))],
        Expect::Fails("cannot list the repositories"),
    );
}

const GL_PUSH_RULE: &str = "/projects/101/push_rule";

#[test]
fn gitlab_502_burst_is_retried() {
    gitlab_case(
        "502 burst",
        vec![Rule::new(
            GL_PUSH_RULE,
            2,
            Fault::status(502, "502 Bad Gateway", &[]),
        )],
        Expect::Completes(None),
    );
}

#[test]
fn gitlab_503_that_never_ends_is_unknown() {
    gitlab_case(
        "503 always",
        vec![Rule::new(
            GL_PUSH_RULE,
            ALWAYS,
            Fault::status(503, "503 Service Unavailable", &[]),
        )],
        Expect::Completes(Some("503")),
    );
}

#[test]
fn gitlab_429_waits_and_goes_on() {
    gitlab_case(
        "429 Retry-After: 1",
        vec![Rule::new(
            GL_PUSH_RULE,
            1,
            Fault::status(429, "Retry later", &[("retry-after", "1".into())]),
        )],
        Expect::Completes(None),
    );
}

#[test]
fn gitlab_429_with_a_far_reset_stops() {
    gitlab_case(
        "429 reset in 2 h",
        vec![Rule::new(
            GL_PUSH_RULE,
            ALWAYS,
            Fault::status(
                429,
                "Retry later",
                &[
                    ("ratelimit-remaining", "0".into()),
                    ("ratelimit-reset", (now() + 7200).to_string()),
                ],
            ),
        )],
        Expect::Fails("sync again after the reset"),
    );
}

#[test]
fn gitlab_connection_resets_are_unknown() {
    gitlab_case(
        "connection reset",
        vec![Rule::new(GL_PUSH_RULE, ALWAYS, Fault::Reset)],
        Expect::Completes(Some("request failed")),
    );
}

#[test]
fn gitlab_truncated_json_is_unknown() {
    gitlab_case(
        "truncated JSON",
        vec![Rule::new(GL_PUSH_RULE, ALWAYS, Fault::Truncate)],
        Expect::Completes(Some("connection closed before message completed")),
    );
}

#[test]
fn gitlab_html_error_page_is_unknown() {
    gitlab_case(
        "HTML 502 page",
        vec![Rule::new(GL_PUSH_RULE, ALWAYS, Fault::html(502))],
        Expect::Completes(Some("502")),
    );
}

#[test]
fn gitlab_body_over_the_cap_is_unknown_and_says_so() {
    gitlab_case(
        "body over the cap",
        vec![Rule::new(GL_PUSH_RULE, ALWAYS, Fault::Huge(5 << 20))],
        Expect::Completes(Some("larger than the 4 MiB")),
    );
}

/// The command line: a timeout makes the fact unknown; a rate limit too far away exits 3 with
/// the reset time, and the previous snapshot stays as it was, with no new one.
#[test]
fn cli_timeouts_are_unknown_and_a_far_reset_exits_3_leaving_the_snapshot() {
    if common::skip() {
        return;
    }
    let fake = fake_github::FakeGithub::start(fake_github::fixtures::acme());
    let cache = tempfile::tempdir().unwrap();
    let first = common::sync_acme(&fake, cache.path());
    assert!(first.status.success(), "{first:?}");
    let before: Vec<_> = common::walk(cache.path())
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json") && !p.ends_with("hosts.json"))
        .filter(|p| !p.components().any(|c| c.as_os_str() == "etags"))
        .collect();
    assert_eq!(before.len(), 1);
    let bytes = std::fs::read(&before[0]).unwrap();

    let proxy = FaultProxy::start(&fake.url);
    proxy.add(Rule::new(GH_ROUTE, ALWAYS, primary_exhausted(7200)));
    let stopped = std::process::Command::new(env!("CARGO_BIN_EXE_posture"))
        .args([
            "sync",
            "github",
            "--org",
            "acme",
            "--api-url",
            &proxy.url,
            "--quiet",
        ])
        .env("POSTURE_CACHE_DIR", cache.path())
        .env("POSTURE_CONFIG_DIR", cache.path().join("config"))
        .env("GITHUB_TOKEN", fake_github::fixtures::TOKEN)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&stopped.stderr);
    assert_eq!(stopped.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains(" UTC") && stderr.contains("previous snapshot is unchanged"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&before[0]).unwrap(), bytes);

    let slow = FaultProxy::start(&fake.url);
    slow.add(Rule::new(
        GH_ROUTE,
        ALWAYS,
        Fault::Delay(Duration::from_secs(3)),
    ));
    let timed_out = std::process::Command::new(env!("CARGO_BIN_EXE_posture"))
        .args([
            "sync",
            "github",
            "--org",
            "acme",
            "--api-url",
            &slow.url,
            "--quiet",
        ])
        .env("POSTURE_CACHE_DIR", cache.path())
        .env("POSTURE_CONFIG_DIR", cache.path().join("config"))
        .env("POSTURE_HTTP_TIMEOUT_SECS", "1")
        .env("GITHUB_TOKEN", fake_github::fixtures::TOKEN)
        .output()
        .unwrap();
    assert!(timed_out.status.success(), "{timed_out:?}");
    assert_eq!(std::fs::read(&before[0]).unwrap(), bytes);
    let report = common::posture(cache.path(), &["report", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
    let text = report.to_string();
    assert!(
        text.contains("timed out after 1s"),
        "the timeout is the reason given"
    );
}
